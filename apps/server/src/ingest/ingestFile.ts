import fs from 'node:fs';
import path from 'node:path';
import { FaceImageError } from '@nexus/actors';
import { MAX_BATCH_RECORDS, type FieldError, required } from '@nexus/schema';
import { submitRecords, waitForBatches, type NexusClient, type NexusRecord } from '@nexus/client';
import { readRecordFile } from '../files';
import type { BatchCounts } from '../batches/batchStatus';
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
  /** Wait until the server has decided every record of the file, those an earlier run sent too. */
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
  /** With `wait`: what the server decided, over the batches holding the file's records. */
  decided?: Omit<BatchCounts, 'records' | 'pending'>;
  seconds: number;
}

/** A file's default source: its name without extension (as `nexus dedupe`). */
export function defaultSource(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

/**
 * `nexus ingest`: reads a record file and submits it in batches through @nexus/client (path A).
 * Re-running the same file is safe: external ids are idempotent per source, so records the server
 * already has come back as duplicates and are not processed again; with `wait`, the batches an
 * earlier (perhaps interrupted) run stored them in are waited for as well.
 */
export async function ingestFile(
  client: NexusClient,
  file: string,
  o: IngestFileOptions = {},
): Promise<IngestSummary> {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  const started = performance.now();
  const source = o.source ?? defaultSource(file);
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
  /** Batches holding the file's records: this run's, and those of an earlier run for its duplicates. */
  const holders = new Set<string>();
  let stored = 0;

  async function* validRows(): AsyncGenerator<{ line: number; record: NexusRecord }> {
    for await (const row of readRecordFile(file, { map: o.map, source, signal: o.signal })) {
      summary.records++;
      if (!row.ok) {
        summary.rejected++;
        o.onProblem?.({ line: row.line, errors: row.errors, severity: 'error' });
        continue;
      }
      if (row.warnings.length > 0)
        o.onProblem?.({ line: row.line, errors: row.warnings, severity: 'warning' });
      try {
        // Face files beside the input travel as data: URLs (the server reads no client's files).
        yield { line: row.line, record: await inlineFaceImage(row.record, file) };
      } catch (error) {
        if (!(error instanceof FaceImageError)) throw error;
        summary.rejected++;
        o.onProblem?.({
          line: row.line,
          errors: [{ field: 'face_image', message: error.message }],
          severity: 'error',
        });
      }
    }
  }

  const sent = await submitRecords(client, validRows(), {
    source,
    batchSize: Math.min(Math.max(1, o.batchSize ?? 1000), MAX_BATCH_RECORDS),
    batchBytes: Math.max(1, o.batchBytes ?? DEFAULT_BATCH_BYTES),
    // One batch at a time: lines are reported in file order, and the server paces the reading.
    inFlight: 1,
    signal: o.signal,
    recordOf: (row) => row.record,
    onBatch: (receipt, rows) => {
      for (const r of receipt.rejected) {
        const row = required(rows[r.index], `ingestFile: sent row ${r.index} of a rejection`);
        o.onProblem?.({ line: row.line, errors: r.errors, severity: 'error' });
      }
      stored += receipt.accepted - receipt.duplicates.length;
      if (receipt.accepted > receipt.duplicates.length) holders.add(receipt.batchId);
      for (const d of receipt.duplicates) if (d.batchId) holders.add(d.batchId);
      o.onProgress?.({ phase: 'sending', read: summary.records, stored, decided: 0 });
    },
  });
  summary.accepted = sent.accepted;
  summary.duplicates = sent.duplicates;
  summary.rejected += sent.rejected;
  summary.batches = sent.batchIds;

  if (o.wait) {
    const views = await waitForBatches(client, [...holders], {
      signal: o.signal,
      onProgress: (p) =>
        o.onProgress?.({ phase: 'deciding', read: summary.records, stored: p.records, decided: p.decided }),
    });
    const decided = { new: 0, linked: 0, review: 0, rejected: 0, dead_lettered: 0, cancelled: 0 };
    for (const view of views)
      for (const k of Object.keys(decided) as Array<keyof typeof decided>) decided[k] += view.counts[k];
    summary.decided = decided;
  }
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  return summary;
}
