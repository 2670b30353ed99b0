import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type RawBuilder } from 'kysely';
import {
  KEY_REFRESH_MS,
  keyEncryptionKey,
  loadFieldKeys,
  resealWith,
  rotateDataKey,
  FieldCipher,
  type Db,
  type KeyEncryptionSecret,
} from '@nexus/actors';

/** Where values encrypted at rest are stored: each table, its primary key and its documents. */
const STORED_DOCUMENTS = [
  { table: 'records', keys: ['id'], columns: ['payload', 'normalised', 'explanation'] },
  { table: 'golden_records', keys: ['id'], columns: ['best'] },
  { table: 'review_case_candidates', keys: ['case_id', 'golden_id'], columns: ['explanation'] },
  { table: 'dead_letters', keys: ['id'], columns: ['payload'] },
  { table: 'bus_messages', keys: ['topic', 'partition', 'msg_offset'], columns: ['payload'] },
] as const;

type Target = (typeof STORED_DOCUMENTS)[number];

export interface RotationOptions {
  /** Rows per transaction: short transactions keep the engine deciding meanwhile. */
  batchSize?: number;
  /** Pause between passes: long enough for every process to have re-read the keys. */
  passPauseMs?: number;
  maxPasses?: number;
}

export interface RotationReport {
  activeKeyId: string;
  rewrappedKeys: number;
  /** Rows rewritten per table, over every pass. */
  reencrypted: Record<string, number>;
  passes: number;
  /** Rows still holding a value under a previous key (0 unless maxPasses ran out). */
  remaining: number;
  retiredKeyIds: string[];
}

const ident = (name: string) => sql.id(name);
const keyList = (t: Target) => sql.join(t.keys.map(ident));

/**
 * `nexus keys rotate`: re-wraps every key under the current key-encryption key, makes a new data
 * key active, then re-encrypts every stored value under it in small batches while the engine
 * runs. Rows locked by a decision in flight are skipped (`skip locked`) and taken by a later pass;
 * processes still writing under the old key (until they re-read the keys, KEY_REFRESH_MS) are
 * caught by the passes after the pause. The old data keys are retired (kept, never used to write)
 * once no value names them.
 */
export async function rotateKeys(
  db: Db,
  secrets: readonly KeyEncryptionSecret[],
  options: RotationOptions = {},
): Promise<RotationReport> {
  const keks = secrets.map((s) => keyEncryptionKey(s.secret, s.origin));
  const rotation = await rotateDataKey(db, keks);
  const cipher = new FieldCipher(await loadFieldKeys(db, keks));
  const batchSize = options.batchSize ?? 500;
  const reencrypted: Record<string, number> = {};
  let passes = 0;
  let remaining = 0;
  do {
    if (passes > 0) await sleep(options.passPauseMs ?? KEY_REFRESH_MS * 2);
    passes++;
    for (const target of STORED_DOCUMENTS) {
      reencrypted[target.table] =
        (reencrypted[target.table] ?? 0) + (await reencryptTable(db, cipher, target, batchSize));
    }
    remaining = await countUnderOldKeys(db, cipher.activeKeyId);
  } while (remaining > 0 && passes < (options.maxPasses ?? 10));
  const retired =
    remaining > 0
      ? []
      : await db
          .updateTable('encryption_keys')
          .set({ retired_at: sql`now()` })
          .where('purpose', '=', 'data')
          .where('active', '=', false)
          .where('retired_at', 'is', null)
          .returning('id')
          .execute();
  return {
    activeKeyId: rotation.activeKeyId,
    rewrappedKeys: rotation.rewrapped,
    reencrypted,
    passes,
    remaining,
    retiredKeyIds: retired.map((r) => r.id),
  };
}

async function reencryptTable(
  db: Db,
  cipher: FieldCipher,
  target: Target,
  batchSize: number,
): Promise<number> {
  let after: unknown[] | undefined;
  let rewritten = 0;
  for (;;) {
    const { rows, last } = await db.transaction().execute(async (trx) => {
      const from: RawBuilder<unknown> =
        after === undefined
          ? sql`true`
          : sql`(${keyList(target)}) > (${sql.join(after.map((v) => sql`${v}`))})`;
      // Read as stored (text): the sealed values themselves, not what the decrypting plugin opens.
      const { rows } = await sql<Record<string, unknown>>`
        select ${keyList(target)}, ${sql.join(target.columns.map((c) => sql`${ident(c)}::text as ${ident(`raw_${c}`)}`))}
        from ${ident(target.table)} where ${from}
        order by ${keyList(target)} limit ${batchSize} for update skip locked`.execute(trx);
      for (const row of rows) {
        const sets: RawBuilder<unknown>[] = [];
        for (const column of target.columns) {
          const raw = row[`raw_${column}`];
          if (typeof raw !== 'string') continue;
          const resealed = resealWith(cipher, JSON.parse(raw));
          if (resealed.changed) sets.push(sql`${ident(column)} = ${JSON.stringify(resealed.value)}::jsonb`);
        }
        if (sets.length === 0) continue;
        const where = sql.join(
          target.keys.map((k) => sql`${ident(k)} = ${row[k]}`),
          sql` and `,
        );
        await sql`update ${ident(target.table)} set ${sql.join(sets)} where ${where}`.execute(trx);
        rewritten++;
      }
      const lastRow = rows.at(-1);
      return {
        rows: rows.length,
        last: lastRow === undefined ? undefined : target.keys.map((k) => lastRow[k]),
      };
    });
    if (rows < batchSize || last === undefined) return rewritten;
    after = last;
  }
}

/** Rows whose stored documents still name a data key other than the active one. */
export async function countUnderOldKeys(db: Db, activeKeyId: string): Promise<number> {
  let total = 0;
  for (const target of STORED_DOCUMENTS) {
    const old = sql.join(
      target.columns.map(
        (c) => sql`${ident(c)}::text ~ ${'"nxe1:'} and ${ident(c)}::text ~ ${`"nxe1:(?!${activeKeyId}:)`}`,
      ),
      sql` or `,
    );
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from ${ident(target.table)} where ${old}`.execute(db);
    total += Number(rows[0]?.n ?? 0);
  }
  return total;
}
