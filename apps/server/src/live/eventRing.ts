/** One live event; ids grow strictly (milliseconds since the epoch, bumped when two share one). */
export interface LiveEvent<T> {
  id: number;
  data: T;
}

/**
 * The recent history of one live feed, in memory: listeners get each event as it is pushed,
 * and a client that reconnects reads what it missed from here (`since` its last event id).
 */
export class EventRing<T> {
  private readonly events: LiveEvent<T>[] = [];
  private readonly listeners = new Set<(event: LiveEvent<T>) => void>();
  private lastId = 0;

  constructor(private readonly capacity: number) {}

  push(data: T): LiveEvent<T> {
    this.lastId = Math.max(Date.now(), this.lastId + 1);
    const event = { id: this.lastId, data };
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  since(afterId: number): LiveEvent<T>[] {
    return this.events.filter((e) => e.id > afterId);
  }

  latest(): LiveEvent<T> | undefined {
    return this.events.at(-1);
  }

  listen(listener: (event: LiveEvent<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
