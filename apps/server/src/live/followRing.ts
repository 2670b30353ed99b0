import type { EventRing, LiveEvent } from './eventRing';
import { Waker } from './wake';

export function parseEventId(id: string | null | undefined): number | undefined {
  if (id === null || id === undefined || !/^\d{1,16}$/.test(id)) return undefined;
  return Number(id);
}

/**
 * Follows a ring: the listener is attached first, then the backlog after `lastEventId` is read,
 * then new events as they come; an id at or below the last one yielded is never yielded again.
 * Without `lastEventId` it starts with the latest event, so a new subscriber sees a value at once.
 */
export async function* followRing<T>(
  ring: EventRing<T>,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<LiveEvent<T>> {
  const queue: LiveEvent<T>[] = [];
  const waker = new Waker();
  const unlisten = ring.listen((event) => {
    queue.push(event);
    waker.wake();
  });
  try {
    const after = parseEventId(lastEventId);
    const backlog = after === undefined ? [ring.latest()].filter((e) => e !== undefined) : ring.since(after);
    let last = after ?? 0;
    for (const event of backlog) {
      last = event.id;
      yield event;
    }
    while (!signal?.aborted) {
      for (let event = queue.shift(); event; event = queue.shift()) {
        if (event.id <= last) continue;
        last = event.id;
        yield event;
      }
      await waker.wait(60_000, signal);
    }
  } finally {
    unlisten();
  }
}
