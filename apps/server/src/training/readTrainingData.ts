/**
 * What `nexus train` learns from, read from the register: a random sample of decided records
 * (normalised forms), and a random sample of the pairs of records that share a blocking key
 * (the blocking_keys table), with the counts needed to scale them back to the whole register.
 */
import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { NormalisedRecord, TrainingData } from '@nexus/matching';
import { heldBackRecord } from './heldBackSample';

export interface ReadTrainingOptions {
  /** Records drawn at random for u and term frequencies. */
  sample: number;
  /** Blocked pairs drawn at random for EM. */
  maxPairs: number;
  /** Keys held by more records than this are skipped (many pairs, few matches). */
  maxKeyRecords: number;
  /** Seed of the draws, so that a run on the same data repeats. */
  seed: number;
  /** Share of the records held back to check the trained model (heldBackSample.ts): left out here. */
  heldBackShare?: number;
}

/** Records training learns from: decided by the engine (not rejected, dead-lettered or cancelled). */
export const TRAINING_RECORD_STATUSES = ['new', 'linked', 'review'] as const;

export async function readTrainingData(db: Db, options: ReadTrainingOptions): Promise<TrainingData> {
  return db.transaction().execute(async (trx) => {
    // Draws rank rows by a hash of the seed and the records' (source, external_id), not by
    // random(): random() numbers rows in the order a scan meets them, which follows where
    // updates left the tuples, so the same register drew different samples from run to run.
    const seed = String(Math.trunc(options.seed));
    const share = options.heldBackShare ?? 0;
    const kept = (id: ReturnType<typeof sql>) =>
      share > 0 ? sql<boolean>`not ${heldBackRecord(id, share)}` : sql<boolean>`true`;
    const count = await trx
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', 'in', TRAINING_RECORD_STATUSES)
      .where('normalised', 'is not', null)
      .executeTakeFirstOrThrow();
    const sampleRows = await trx
      .selectFrom('records')
      .select('normalised')
      .where('status', 'in', TRAINING_RECORD_STATUSES)
      .where('normalised', 'is not', null)
      .where(kept(sql`id`))
      .orderBy(sql`md5(${seed} || ':' || source || ':' || external_id)`)
      .limit(options.sample)
      .execute();

    const pairs = await sql<{ a: string; b: string; total: string }>`
      with small_keys as (
        select key from blocking_keys group by key having count(*) between 2 and ${options.maxKeyRecords}
      ), pairs as (
        select distinct x.record_id as a, y.record_id as b
        from blocking_keys x
        join blocking_keys y on y.key = x.key and x.record_id < y.record_id
        where x.key in (select key from small_keys)
          and ${kept(sql`x.record_id`)} and ${kept(sql`y.record_id`)}
      )
      select a, b, count(*) over () as total
      from pairs
      cross join lateral (select source || ':' || external_id as name from records where id = a) as ra
      cross join lateral (select source || ':' || external_id as name from records where id = b) as rb
      order by md5(${seed} || ':' || least(ra.name, rb.name) || '|' || greatest(ra.name, rb.name))
      limit ${options.maxPairs}
    `.execute(trx);
    const ids = [...new Set(pairs.rows.flatMap((p) => [p.a, p.b]))];
    const normalised = new Map<string, NormalisedRecord>();
    for (let i = 0; i < ids.length; i += 10_000) {
      const rows = await trx
        .selectFrom('records')
        .select(['id', 'normalised'])
        .where('id', 'in', ids.slice(i, i + 10_000))
        .where('status', 'in', TRAINING_RECORD_STATUSES)
        .where('normalised', 'is not', null)
        .execute();
      for (const r of rows) normalised.set(r.id, r.normalised as unknown as NormalisedRecord);
    }
    const blockedPairs: Array<[NormalisedRecord, NormalisedRecord]> = [];
    for (const p of pairs.rows) {
      const a = normalised.get(p.a);
      const b = normalised.get(p.b);
      if (a !== undefined && b !== undefined) blockedPairs.push([a, b]);
    }
    return {
      sample: sampleRows.map((r) => r.normalised as unknown as NormalisedRecord),
      blockedPairs,
      blockedPairsTotal: Number(pairs.rows[0]?.total ?? 0),
      recordsTotal: Number(count.n),
    };
  });
}
