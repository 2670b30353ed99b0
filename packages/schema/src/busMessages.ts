import { z } from 'zod';
import { canonicalRecordSchema } from './canonicalRecord';

export const RAW_RECORDS_TOPIC = 'raw_records';

/** What travels on `raw_records`: one accepted record, by path A (relay) or path B (stream). */
export const rawRecordMessageSchema = z.object({
  recordId: z.string().uuid(),
  batchId: z.string().uuid().nullable(),
  /** Path B: the account that streamed it (users.id), written on the record's row as its owner. */
  submittedById: z.string().uuid().nullable().optional(),
  source: z.string(),
  record: canonicalRecordSchema,
  receivedAt: z.string(),
});
export type RawRecordMessage = z.infer<typeof rawRecordMessageSchema>;

/**
 * Records of one source and external id always land in the same partition, so a resubmission is
 * ordered behind the original. Duplicates of one person may land anywhere: invariant 3 is kept by
 * locks, not by partitioning.
 */
export function partitionKey(source: string, externalId: string): string {
  return `${source}\u001f${externalId}`;
}

/** murmur2, as Kafka's default partitioner uses, so both buses put a key in the same partition. */
export function murmur2(key: string): number {
  const data = Buffer.from(key, 'utf8');
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  const length = data.length;
  let h = seed ^ length;
  const length4 = Math.floor(length / 4);
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k =
      ((data[i4 + 0] ?? 0) & 0xff) +
      (((data[i4 + 1] ?? 0) & 0xff) << 8) +
      (((data[i4 + 2] ?? 0) & 0xff) << 16) +
      (((data[i4 + 3] ?? 0) & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h ^= ((data[tail + 2] ?? 0) & 0xff) << 16;
  if (rest >= 2) h ^= ((data[tail + 1] ?? 0) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (data[tail] ?? 0) & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}

export function partitionFor(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
