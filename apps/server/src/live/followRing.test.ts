import { describe, expect, it } from 'vitest';
import { EventRing } from './eventRing';
import { followRing } from './followRing';

async function take<T>(iterator: AsyncGenerator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('followRing', () => {
  it('replays after lastEventId, then follows, each event once', async () => {
    const ring = new EventRing<string>(10);
    const first = ring.push('a');
    ring.push('b');
    ring.push('c');
    const abort = new AbortController();
    const feed = followRing(ring, String(first.id), abort.signal);
    const backlog = await take(feed, 2);
    expect(backlog.map((e) => e.data)).toEqual(['b', 'c']);
    setTimeout(() => ring.push('d'), 10);
    expect((await take(feed, 1)).map((e) => e.data)).toEqual(['d']);
    abort.abort();
    expect((await feed.next()).done).toBe(true);
    expect(ring.listenerCount).toBe(0);
  });

  it('starts with the latest event when no id is given, and an event pushed while reading the backlog is not lost', async () => {
    const ring = new EventRing<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    const abort = new AbortController();
    const feed = followRing(ring, undefined, abort.signal);
    const [latest] = await take(feed, 1);
    expect(latest!.data).toBe(5);
    ring.push(6);
    ring.push(7);
    expect((await take(feed, 2)).map((e) => e.data)).toEqual([6, 7]);
    abort.abort();
  });
});
