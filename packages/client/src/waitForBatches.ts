import type { BatchView } from './batchTypes.js';
import type { NexusClient } from './createNexusClient.js';
import { NexusError } from './errors.js';

export interface WaitProgress {
  /** Records in the batches followed (those whose counts arrived so far). */
  records: number;
  /** Of those, decided. */
  decided: number;
  /** Batches settled (completed, failed or cancelled). */
  settled: number;
  batches: number;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Batches followed at once, each over one subscription (default 4). */
  concurrency?: number;
  onProgress?: (progress: WaitProgress) => void;
}

const SETTLED = new Set(['completed', 'failed', 'cancelled']);

/**
 * Waits until every batch is decided (completed, failed or cancelled), following each one over
 * its live progress feed; resolves their final views, in the order of `batchIds`.
 */
export async function waitForBatches(
  client: NexusClient,
  batchIds: readonly string[],
  options: WaitOptions = {},
): Promise<BatchView[]> {
  const ids = [...new Set(batchIds)];
  const latest = new Map<string, BatchView>();
  const report = () => {
    let records = 0;
    let decided = 0;
    let settled = 0;
    for (const view of latest.values()) {
      records += view.counts.records;
      decided += view.counts.records - view.counts.pending;
      if (SETTLED.has(view.status)) settled++;
    }
    options.onProgress?.({ records, decided, settled, batches: ids.length });
  };
  let next = 0;
  const worker = async () => {
    for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
      await followBatch(client, id, options.signal, (view) => {
        latest.set(id, view);
        report();
      });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, ids.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return ids.map((id) => {
    const view = latest.get(id);
    if (!view) throw new Error(`batch ${id} was followed but never seen`);
    return view;
  });
}

/** Follows one batch until it settles. */
function followBatch(
  client: NexusClient,
  batchId: string,
  signal: AbortSignal | undefined,
  onView: (view: BatchView) => void,
): Promise<BatchView> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(NexusError.of(signal.reason));
    let last: BatchView | undefined;
    const onAbort = () => {
      sub.unsubscribe();
      reject(new NexusError('aborted', { code: 'CLIENT.ABORTED', status: 0 }));
    };
    const done = (outcome: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      sub.unsubscribe();
      outcome();
    };
    const sub = client.trpc.live.batchProgress.subscribe(
      { batchId },
      {
        onData: (event) => {
          const view = event.data;
          last = view;
          onView(view);
          if (SETTLED.has(view.status)) done(() => resolve(view));
        },
        onError: (error) => done(() => reject(error)),
        onComplete: () =>
          done(() =>
            last
              ? resolve(last)
              : reject(
                  new NexusError(`batch ${batchId}: the progress feed ended early`, {
                    code: 'INTERNAL',
                    status: 0,
                  }),
                ),
          ),
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
