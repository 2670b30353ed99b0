import fs from 'node:fs';
import path from 'node:path';
import type { NexusRecord } from './batchTypes.js';
import type { NexusClient } from './createNexusClient.js';
import { csvRecords } from './csvRecords.js';
import { submitRecords, type SubmitOptions, type SubmitSummary } from './submitRecords.js';

export interface SubmitFileOptions extends Omit<SubmitOptions<NexusRecord>, 'source' | 'recordOf'> {
  /** Default: the file's name without its extension. */
  source?: string;
  /** Default: by extension (.ndjson, .jsonl: NDJSON; anything else: CSV). */
  format?: 'csv' | 'ndjson';
  /** The CSV delimiter (default `,`). */
  delimiter?: string;
}

/**
 * Submits a record file as batches (Node only): NDJSON, one record per line, or CSV whose header
 * names the canonical fields (external_id, given_name, family_name, date_of_birth...). The file
 * is read as the batches go, never whole. The server checks every record: refused ones are in
 * each batch's receipt (onBatch), by their index in the batch.
 */
export function submitFile(
  client: NexusClient,
  file: string,
  options: SubmitFileOptions = {},
): Promise<SubmitSummary> {
  const format =
    options.format ?? (/\.(nd)?jsonl?$/i.test(file) && !/\.json$/i.test(file) ? 'ndjson' : 'csv');
  const text = fs.createReadStream(file, {
    encoding: 'utf8',
    signal: options.signal,
  }) as AsyncIterable<string>;
  const records = format === 'ndjson' ? ndjsonRecords(text) : csvRows(text, options.delimiter);
  return submitRecords(client, records, {
    ...options,
    source: options.source ?? path.basename(file).replace(/\.[^.]+$/, ''),
  });
}

async function* csvRows(text: AsyncIterable<string>, delimiter?: string): AsyncGenerator<NexusRecord> {
  for await (const row of csvRecords(text, delimiter)) {
    // Empty cells are fields left out, not fields set to nothing.
    yield Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')) as unknown as NexusRecord;
  }
}

async function* ndjsonRecords(text: AsyncIterable<string>): AsyncGenerator<NexusRecord> {
  let rest = '';
  let line = 0;
  const parse = (l: string): NexusRecord | undefined => {
    line++;
    if (l.trim() === '') return undefined;
    try {
      return JSON.parse(l) as NexusRecord;
    } catch {
      throw new Error(`line ${line}: not JSON`);
    }
  };
  for await (const chunk of text) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? ''; // split always gives at least one piece: the unfinished line
    for (const l of lines) {
      const record = parse(l);
      if (record !== undefined) yield record;
    }
  }
  const record = parse(rest);
  if (record !== undefined) yield record;
}
