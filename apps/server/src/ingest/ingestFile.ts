import fs from 'node:fs';
import path from 'node:path';
import { FaceImageError } from '@nexus/actors';
import { MAX_BATCH_RECORDS, type FieldError } from '@nexus/schema';
import type { NexusTrpcClient } from '../client/createNexusClient';
import { readRecordFile } from '../files';
import type { BatchCounts } from './batchStatus';
import { inlineFaceImage } from './inlineFaceImage';

/** A batch is sent once its records reach this size (JSON): well under the server's default body limit. */
export const DEFAULT_BATCH_BYTES = 8 * 1024 * 1024;

export interface IngestFileOptions {
  source?: string;
  map?: Record<string, string>;
  /** Records per batch (default 1,000; at most MAX_BATCH_RECORDS). */
  batchSize?: number;
  /** Bytes of records (as JSON) per batch at most, unless one record alone is larger (default 8 MiB). */
  batchBytes?: number;
  /** Wait until the server has decided every stored record. */
  wait?: boolean;
  signal?: AbortSignal;
  onProblem?: (p: { line: number; errors: FieldError[]; severity: 'error' | 'warning' }) => void;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestProgress {
  phase: 'sending' | 'deciding';
  /** Rows read from the file so far. */
  read: number;
  /** Records the server stored (new to it). */
  stored: number;
  /** Of those, decided (with --wait). */
  decided: number;
}

export interface IngestSummary {
  file: string;
  source: string;
  /** Rows read. */
  records: number;
  /** Accepted by the server, duplicates included. */
  accepted: number;
  /** Already known to the server (same source and external_id): processed once, not again. */
  duplicates: number;
  /** Rows the file reader or the server refused. */
  rejected: number;
  batches: string[];
  /** With `wait`: what the server decided for the stored records. */
  decided?: Omit<BatchCounts, 'records' | 'pending'>;
  seconds: number;
}

/** A file's default source: its name without extension (as `nexus dedupe`). */
export function defaultSource(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

/**
 * `nexus ingest`: reads a record file and submits it in batches through the typed client (path A).
 * Re-running the same file is safe: external ids are idempotent per source, so records the server
 * already has come back as duplicates and are not processed again.
 */
export async function ingestFile(
  client: NexusTrpcClient,
  file: string,
  o: IngestFileOptions = {},
): Promise<IngestSummary> {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  const started = performance.now();
  const source = o.source ?? defaultSource(file);
  const batchSize = Math.min(Math.max(1, o.batchSize ?? 1000), MAX_BATCH_RECORDS);
  const batchBytes = Math.max(1, o.batchBytes ?? DEFAULT_BATCH_BYTES);
  const summary: IngestSummary = {
    file,
    source,
    records: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    batches: [],
    seconds: 0,
  };
  const waitFor: Array<{ batchId: string; stored: number }> = [];
  let stored = 0;
  let pending: Array<{ line: number; record: unknown }> = [];
  let pendingBytes = 0;

  const flush = async () => {
    if (pending.length === 0) return;
    const receipt = await client.ingest.submitBatch.mutate(
      { source, records: pending.map((p) => p.record) },
      { signal: o.signal },
    );
    for (const r of receipt.rejected)
      o.onProblem?.({ line: pending[r.index]!.line, errors: r.errors, severity: 'error' });
    summary.accepted += receipt.accepted;
    summary.duplicates += receipt.duplicates.length;
    summary.rejected += receipt.rejected.length;
    summary.batches.push(receipt.batchId);
    const fresh = receipt.accepted - receipt.duplicates.length;
    stored += fresh;
    if (fresh > 0) waitFor.push({ batchId: receipt.batchId, stored: fresh });
    pending = [];
    pendingBytes = 0;
  };

  for await (const row of readRecordFile(file, { map: o.map, source, signal: o.signal })) {
    summary.records++;
    if (!row.ok) {
      summary.rejected++;
      o.onProblem?.({ line: row.line, errors: row.errors, severity: 'error' });
      continue;
    }
    if (row.warnings.length > 0) o.onProblem?.({ line: row.line, errors: row.warnings, severity: 'warning' });
    let record: typeof row.record;
    try {
      // Face files beside the input travel as data: URLs (the server reads no client's files).
      record = await inlineFaceImage(row.record, file);
    } catch (error) {
      if (!(error instanceof FaceImageError)) throw error;
      summary.rejected++;
      o.onProblem?.({
        line: row.line,
        errors: [{ field: 'face_image', message: error.message }],
        severity: 'error',
      });
      continue;
    }
    const bytes = JSON.stringify(record).length;
    if (pending.length > 0 && pendingBytes + bytes > batchBytes) await flush();
    pending.push({ line: row.line, record });
    pendingBytes += bytes;
    if (pending.length >= batchSize) await flush();
    o.onProgress?.({ phase: 'sending', read: summary.records, stored, decided: 0 });
  }
  await flush();

  if (o.wait) {
    const decided = { new: 0, linked: 0, review: 0, rejected: 0, dead_lettered: 0, cancelled: 0 };
    let done = 0;
    for (const { batchId } of waitFor) {
      const final = await watchBatch(client, batchId, o.signal, (counts) =>
        o.onProgress?.({
          phase: 'deciding',
          read: summary.records,
          stored,
          decided: done + counts.records - counts.pending,
        }),
      );
      for (const k of Object.keys(decided) as Array<keyof typeof decided>) decided[k] += final[k];
      done += final.records;
    }
    summary.decided = decided;
  }
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  return summary;
}

/** Follows one batch over the live subscription until it is completed or cancelled; resolves its counts. */
function watchBatch(
  client: NexusTrpcClient,
  batchId: string,
  signal: AbortSignal | undefined,
  onCounts: (counts: BatchCounts) => void,
): Promise<BatchCounts> {
  return new Promise((resolve, reject) => {
    let last: BatchCounts | undefined;
    const sub = client.live.batchProgress.subscribe(
      { batchId },
      {
        onData: (event) => {
          last = event.data.counts;
          onCounts(last);
          if (event.data.status !== 'received' && event.data.status !== 'processing') {
            sub.unsubscribe();
            resolve(last);
          }
        },
        onError: (error) => {
          sub.unsubscribe();
          reject(error);
        },
        onComplete: () =>
          last ? resolve(last) : reject(new Error(`batch ${batchId}: the progress feed ended early`)),
      },
    );
    signal?.addEventListener('abort', () => {
      sub.unsubscribe();
      reject(new Error('interrupted'));
    });
  });
}
