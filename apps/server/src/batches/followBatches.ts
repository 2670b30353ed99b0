import type { Db } from '@nexus/actors';
import type { Viewer } from '../auth/ownership';
import { getBatch, visibleBatches, type BatchView } from './batchStatus';
import { progressId } from './batchProgress';
import type { LiveHub } from '../live/liveHub';
import { Waker } from '../live/wake';

const MIN_INTERVAL_MS = 250;
const ACTIVE = ['received', 'processing'] as const;

/**
 * Every batch still being decided, each time one changes (a new batch, a count, its end): one
 * feed covers the whole batches list, however many batches run. A batch is sent once more when it
 * settles, then no more. The first event after (re)connecting sends every active batch. An
 * ingest account follows only its own batches.
 */
export async function* followActiveBatches(
  db: Db,
  hub: LiveHub,
  viewer: Viewer,
  signal: AbortSignal | undefined,
): AsyncGenerator<BatchView[]> {
  const waker = new Waker();
  const detach = hub.onActivity(waker.wake);
  const sent = new Map<string, string>();
  let first = true;
  try {
    while (!signal?.aborted) {
      const started = Date.now();
      const active = await visibleBatches(db, viewer)
        .select('id')
        .where('status', 'in', [...ACTIVE])
        .orderBy('created_at', 'desc')
        .limit(200)
        .execute();
      // Batches followed before and no longer active are read once more to send their final state.
      const ids = new Set([...active.map((b) => b.id), ...sent.keys()]);
      const views = await Promise.all([...ids].map((id) => getBatch(db, id, viewer).catch(() => null)));
      const changed: BatchView[] = [];
      for (const view of views) {
        if (!view) continue;
        const id = progressId(view);
        if (sent.get(view.id) !== id) changed.push(view);
        if ((ACTIVE as readonly string[]).includes(view.status)) sent.set(view.id, id);
        else sent.delete(view.id);
      }
      if (changed.length > 0 || first) yield changed;
      first = false;
      await waker.wait(1000, signal);
      const rest = MIN_INTERVAL_MS - (Date.now() - started);
      if (rest > 0 && !signal?.aborted) await new Waker().wait(rest, signal);
    }
  } finally {
    detach();
  }
}
