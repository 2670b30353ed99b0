import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@nexus/schema';
import { FieldCipher, type FieldKeys } from './fieldCipher';
import { EncryptionKeyError, unwrapKey, wrapKey, type KeyEncryptionKey } from './keyEncryptionKey';

/** Serialises the first start's key creation and rotations across processes. */
const KEYS_LOCK = 4_900_049;

interface KeyRow {
  id: string;
  purpose: 'data' | 'index';
  wrapped: string;
  kek_id: string;
  active: boolean;
}

function newKeyId(purpose: 'data' | 'index'): string {
  return `${purpose === 'data' ? 'd' : 'i'}${randomBytes(4).toString('hex')}`;
}

async function readKeys(db: Kysely<Database>): Promise<KeyRow[]> {
  return db.selectFrom('encryption_keys').select(['id', 'purpose', 'wrapped', 'kek_id', 'active']).execute();
}

/**
 * Unwraps every key with the current KEK or, during a KEK rotation, the previous one. A key no
 * given KEK opens is a clear start-up error naming both fingerprints, never a silent failure later.
 */
function unwrapAll(rows: KeyRow[], keks: KeyEncryptionKey[]): FieldKeys {
  const dataKeys = new Map<string, Buffer>();
  let activeKeyId: string | undefined;
  let indexKey: Buffer | undefined;
  for (const row of rows) {
    const kek = keks.find((k) => k.id === row.kek_id);
    const key = kek === undefined ? undefined : unwrapKey(kek, row.id, row.wrapped);
    if (key === undefined) {
      throw new EncryptionKeyError(
        'ENCRYPTION.KEY_INVALID',
        `encryption key ${row.id} is wrapped by key-encryption key ${row.kek_id}, ` +
          `but NEXUS_ENCRYPTION_KEY is ${keks.map((k) => k.id).join(' / ')}: ` +
          `give the key the database was encrypted with (a new key goes in NEXUS_ENCRYPTION_KEY ` +
          `with the old one in NEXUS_ENCRYPTION_PREVIOUS_KEY, then \`nexus keys rotate\`)`,
      );
    }
    if (row.purpose === 'index') indexKey = key;
    else dataKeys.set(row.id, key);
    if (row.purpose === 'data' && row.active) activeKeyId = row.id;
  }
  if (activeKeyId === undefined || indexKey === undefined) {
    throw new EncryptionKeyError(
      'ENCRYPTION.KEY_INVALID',
      'encryption_keys holds no active data key or no index key',
    );
  }
  return { dataKeys, activeKeyId, indexKey };
}

async function insertKey(
  db: Kysely<Database>,
  kek: KeyEncryptionKey,
  purpose: 'data' | 'index',
): Promise<string> {
  const id = newKeyId(purpose);
  await db
    .insertInto('encryption_keys')
    .values({ id, purpose, wrapped: wrapKey(kek, id, randomBytes(32)), kek_id: kek.id, active: true })
    .execute();
  return id;
}

/**
 * The keys of this database, opened with the KEK(s) given; on a database that has none yet, the
 * first data key and the index key are made (under a lock, so two first starts make one set).
 */
export async function loadFieldKeys(db: Kysely<Database>, keks: KeyEncryptionKey[]): Promise<FieldKeys> {
  const rows = await readKeys(db);
  if (rows.length > 0) return unwrapAll(rows, keks);
  const current = keks[0];
  if (current === undefined)
    throw new EncryptionKeyError('ENCRYPTION.KEY_MISSING', 'no key-encryption key given');
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${KEYS_LOCK})`.execute(trx);
    const again = await readKeys(trx);
    if (again.length === 0) {
      await insertKey(trx, current, 'data');
      await insertKey(trx, current, 'index');
    }
    return unwrapAll(await readKeys(trx), keks);
  });
}

/** Whether the database holds encrypted values' keys: then a KEK is required to start. */
export async function databaseIsEncrypted(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('encryption_keys').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Starts a rotation: every key re-wrapped under the current KEK (so the previous KEK can be
 * dropped), and a new data key made active. Values are re-encrypted afterwards, in batches.
 */
export async function rotateDataKey(
  db: Kysely<Database>,
  keks: KeyEncryptionKey[],
): Promise<{ activeKeyId: string; rewrapped: number; previousKeyIds: string[] }> {
  const current = keks[0];
  if (current === undefined)
    throw new EncryptionKeyError('ENCRYPTION.KEY_MISSING', 'no key-encryption key given');
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${KEYS_LOCK})`.execute(trx);
    const rows = await readKeys(trx);
    const keys = unwrapAll(rows, keks);
    let rewrapped = 0;
    for (const row of rows) {
      if (row.kek_id === current.id) continue;
      const key = row.purpose === 'index' ? keys.indexKey : keys.dataKeys.get(row.id);
      if (key === undefined) continue;
      await trx
        .updateTable('encryption_keys')
        .set({ wrapped: wrapKey(current, row.id, key), kek_id: current.id })
        .where('id', '=', row.id)
        .execute();
      rewrapped++;
    }
    await trx.updateTable('encryption_keys').set({ active: false }).where('purpose', '=', 'data').execute();
    const activeKeyId = await insertKey(trx, current, 'data');
    const previousKeyIds = rows.filter((r) => r.purpose === 'data').map((r) => r.id);
    return { activeKeyId, rewrapped, previousKeyIds };
  });
}

/** How often a process re-reads the keys, so it writes under a newly rotated key soon after. */
export const KEY_REFRESH_MS = 5_000;

/**
 * A cipher for this database, kept current: the keys are re-read every KEY_REFRESH_MS and whenever
 * a value names a key the process lacks (rotated by another process a moment ago).
 */
export class DatabaseFieldCipher extends FieldCipher {
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  private constructor(
    keys: FieldKeys,
    private readonly db: Kysely<Database>,
    private readonly keks: KeyEncryptionKey[],
  ) {
    super(keys);
  }

  static async open(db: Kysely<Database>, keks: KeyEncryptionKey[]): Promise<DatabaseFieldCipher> {
    const cipher = new DatabaseFieldCipher(await loadFieldKeys(db, keks), db, keks);
    cipher.timer = setInterval(() => void cipher.refresh().catch(() => undefined), KEY_REFRESH_MS);
    cipher.timer.unref();
    return cipher;
  }

  refresh(): Promise<void> {
    this.refreshing ??= loadFieldKeys(this.db, this.keks)
      .then((keys) => this.replaceKeys(keys))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
