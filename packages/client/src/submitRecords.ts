import type { BatchReceipt, NexusRecord } from './batchTypes.js';
import type { NexusClient } from './createNexusClient.js';
import { NexusError } from './errors.js';

/** The most records one batch may hold (the server refuses more with BATCH.TOO_LARGE). */
export const MAX_BATCH_RECORDS = 10_000;

export interface SubmitProgress {
  /** Items taken from the input so far. */
  read: number;
  /** Records the server accepted so far (duplicates included). */
  accepted: number;
  /** Of those, already known to the server (same source and external_id). */
  duplicates: number;
  /** Records the server refused so far. */
  rejected: number;
  /** Batches answered so far. */
  batches: number;
}

export interface SubmitOptions<T> {
  /** The source the records come from: external ids are unique within it. */
  source: string;
  /** Records per batch (default 1,000; at most 10,000). */
  batchSize?: number;
  /** Bytes of records (as JSON) per batch at most, unless one record alone is larger (default 8 MiB). */
  batchBytes?: number;
  /** Batches sent and not yet answered at most (default 2): the input is read no faster than this. */
  inFlight?: number;
  signal?: AbortSignal;
  /** The record to send for an item (default: the item itself). */
  recordOf?: (item: T) => NexusRecord;
  /** Each batch's receipt, with its items in order (`receipt.rejected[i].index` is into them). */
  onBatch?: (receipt: BatchReceipt, items: readonly T[]) => void;
  onProgress?: (progress: SubmitProgress) => void;
}

export interface SubmitSummary extends SubmitProgress {
  /** Every batch id, in the order of the input. */
  batchIds: string[];
  /** The batches holding records new to the server: what waitForBatches needs to follow. */
  freshBatchIds: string[];
}

/**
 * Submits records, from an array, a generator or any async iterable, as batches. Back-pressure:
 * the input is read only while fewer than `inFlight` batches await their answer, so a source
 * of any size goes through in bounded memory. Re-submitting is safe: records the server already
 * has come back as duplicates and are not processed again.
 */
export async function submitRecords<T = NexusRecord>(
  client: NexusClient,
  items: AsyncIterable<T> | Iterable<T>,
  options: SubmitOptions<T>,
): Promise<SubmitSummary> {
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 1000), MAX_BATCH_RECORDS);
  const batchBytes = Math.max(1, options.batchBytes ?? 8 * 1024 * 1024);
  const maxInFlight = Math.max(1, options.inFlight ?? 2);
  const recordOf = options.recordOf ?? ((item: T) => item as NexusRecord);
  const summary: SubmitSummary = {
    read: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    batches: 0,
    batchIds: [],
    freshBatchIds: [],
  };
  // Answers are taken in the order batches were sent, so batchIds follow the input.
  const inFlight: Array<Promise<() => void>> = [];
  let pending: T[] = [];
  let pendingBytes = 0;

  const send = (batch: T[]) =>
    client.trpc.ingest.submitBatch
      .mutate({ source: options.source, records: batch.map(recordOf) }, { signal: options.signal })
      .then((receipt) => () => {
        summary.batches++;
        summary.accepted += receipt.accepted;
        summary.duplicates += receipt.duplicates.length;
        summary.rejected += receipt.rejected.length;
        summary.batchIds.push(receipt.batchId);
        if (receipt.accepted > receipt.duplicates.length) summary.freshBatchIds.push(receipt.batchId);
        options.onBatch?.(receipt, batch);
        options.onProgress?.({ ...progressOf(summary) });
      });
  const settleOldest = async () => {
    const oldest = inFlight.shift();
    if (oldest) (await oldest)();
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    const answer = send(batch);
    // A failure is reported when its turn comes; until then it must not be an unhandled rejection.
    answer.catch(() => undefined);
    inFlight.push(answer);
    while (inFlight.length >= maxInFlight) await settleOldest();
  };

  try {
    for await (const item of items) {
      if (options.signal?.aborted) throw new NexusError('aborted', { code: 'CLIENT.ABORTED', status: 0 });
      summary.read++;
      const bytes = JSON.stringify(recordOf(item)).length;
      if (pending.length > 0 && pendingBytes + bytes > batchBytes) await flush();
      pending.push(item);
      pendingBytes += bytes;
      if (pending.length >= batchSize) await flush();
    }
    await flush();
    while (inFlight.length > 0) await settleOldest();
  } finally {
    // On failure, the batches already sent are still answered before the error goes up.
    await Promise.allSettled(inFlight);
  }
  return summary;
}

function progressOf(s: SubmitSummary): SubmitProgress {
  return {
    read: s.read,
    accepted: s.accepted,
    duplicates: s.duplicates,
    rejected: s.rejected,
    batches: s.batches,
  };
}
