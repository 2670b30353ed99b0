import type { Db } from '@nexus/actors';
import type { Viewer } from '../auth/ownership';
import { getBatch, type BatchView } from './batchStatus';
import type { LiveHub } from '../live/liveHub';
import { Waker } from '../live/wake';

const FINAL = new Set<BatchView['status']>(['completed', 'cancelled', 'failed']);
/** At most this often, however busy the engine is. */
const MIN_INTERVAL_MS = 250;

/** The id of a batch's state: a client that saw this state is not sent it again. */
export function progressId(view: BatchView): string {
  const c = view.counts;
  return [
    view.status,
    c.records,
    c.pending,
    c.new,
    c.linked,
    c.review,
    c.rejected,
    c.dead_lettered,
    c.cancelled,
  ].join(':');
}

/**
 * A batch's progress each time it changes, until it is completed, cancelled or failed. The
 * activity listener is attached before the first read, so no change between the two is missed.
 * Another account's batch ends the feed with BATCH.NOT_FOUND, as a batch that does not exist.
 */
export async function* followBatch(
  db: Db,
  hub: LiveHub,
  batchId: string,
  viewer: Viewer,
  lastEventId: string | null | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ id: string; view: BatchView }> {
  const waker = new Waker();
  const detach = hub.onActivity(waker.wake);
  try {
    let last = lastEventId ?? null;
    while (!signal?.aborted) {
      const started = Date.now();
      const view = await getBatch(db, batchId, viewer);
      const id = progressId(view);
      if (id !== last) {
        last = id;
        yield { id, view };
      }
      if (FINAL.has(view.status)) return;
      await waker.wait(1000, signal);
      const rest = MIN_INTERVAL_MS - (Date.now() - started);
      if (rest > 0 && !signal?.aborted) await new Waker().wait(rest, signal);
    }
  } finally {
    detach();
  }
}
