import { describe, expect, it } from 'vitest';
import type { RawRecordMessage } from '@nexus/schema';
import { PartitionFeed, type FeedControl } from './partitionFeed';
import type { BusMessage } from './recordBus';

function control() {
  const calls: string[] = [];
  const c: FeedControl = {
    seek: (o) => calls.push(`seek ${o}`),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
  };
  return { c, calls };
}

const msg = (offset: number): BusMessage => ({
  partition: 0,
  offset,
  key: `k${offset}`,
  value: {} as RawRecordMessage,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => msg(from + i));
const offsets = (list: BusMessage[]) => list.map((m) => m.offset);

describe('PartitionFeed', () => {
  it('serves pushed messages in order from the offset asked', async () => {
    const { c, calls } = control();
    const feed = new PartitionFeed(c);
    feed.push(range(0, 5));
    expect(offsets(await feed.take(0, 3, 0))).toEqual([0, 1, 2]);
    expect(offsets(await feed.take(3, 10, 0))).toEqual([3, 4]);
    expect(calls).toEqual([]);
  });

  it('waits for the next push, at most waitMs', async () => {
    const { c } = control();
    const feed = new PartitionFeed(c);
    const started = Date.now();
    expect(await feed.take(0, 10, 30)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const waiting = feed.take(0, 10, 5000);
    feed.push(range(0, 2));
    expect(offsets(await waiting)).toEqual([0, 1]);
  });

  it('pauses the consumer above the high-water mark and resumes below half of it', async () => {
    const { c, calls } = control();
    const feed = new PartitionFeed(c, 10);
    feed.push(range(0, 12));
    expect(calls).toEqual(['pause']);
    await feed.take(0, 4, 0);
    expect(calls).toEqual(['pause']);
    await feed.take(4, 4, 0);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('drops what a re-fetch delivers again after a new group generation', async () => {
    const { c, calls } = control();
    const feed = new PartitionFeed(c);
    feed.push(range(0, 6));
    expect(offsets(await feed.take(0, 4, 0))).toEqual([0, 1, 2, 3]);
    feed.generationChanged();
    feed.push(range(2, 8)); // kafkajs starts again from the committed offset, 2
    expect(offsets(await feed.take(4, 10, 0))).toEqual([4, 5, 6, 7]);
    expect(calls).toEqual([]);
  });

  it('seeks when an actor restarts from an offset the buffer no longer holds', async () => {
    const { c, calls } = control();
    const feed = new PartitionFeed(c);
    feed.push(range(0, 10));
    await feed.take(0, 10, 0); // the old actor took everything, committed nothing
    expect(await feed.take(3, 10, 0)).toEqual([]); // a new actor starts from the committed 3
    expect(calls).toEqual(['seek 3']);
    feed.push(range(3, 6));
    expect(offsets(await feed.take(3, 10, 0))).toEqual([3, 4, 5]);
  });

  it('accepts a real gap after seeking to an offset that no longer exists', async () => {
    const { c, calls } = control();
    const feed = new PartitionFeed(c);
    feed.push(range(5, 7));
    await feed.take(5, 10, 0);
    await feed.take(2, 10, 0);
    expect(calls).toEqual(['seek 2']);
    feed.push(range(4, 6)); // offsets 2 and 3 are gone (retention)
    expect(offsets(await feed.take(2, 10, 0))).toEqual([4, 5]);
    expect(calls).toEqual(['seek 2']);
  });
});
