import type { Kysely } from 'kysely';
import type { Database } from '@nexus/schema';
import { EncryptionKeyError, keyEncryptionKey } from './keyEncryptionKey';
import { databaseIsEncrypted, DatabaseFieldCipher } from './keyStore';
import { installFieldCipher } from './personalFields';

/** A key-encryption key as given to the process, and where it came from (for messages). */
export interface KeyEncryptionSecret {
  secret: string;
  origin: string;
}

/**
 * Turns encryption at rest on for this thread when a key-encryption key is given (the current one
 * first), and refuses to start on a database that holds encrypted values without one: a missing
 * or wrong key is a start-up error naming what to set, never values that fail later one by one.
 */
export async function startEncryption(
  db: Kysely<Database>,
  secrets: readonly KeyEncryptionSecret[],
): Promise<DatabaseFieldCipher | undefined> {
  if (secrets.length === 0) {
    if (await databaseIsEncrypted(db)) {
      throw new EncryptionKeyError(
        'ENCRYPTION.KEY_MISSING',
        'this database holds values encrypted at rest: set NEXUS_ENCRYPTION_KEY (or NEXUS_ENCRYPTION_KEY_FILE) to the key they were encrypted under',
      );
    }
    installFieldCipher(undefined);
    return undefined;
  }
  const keks = secrets.map((s) => keyEncryptionKey(s.secret, s.origin));
  if (!(await databaseIsEncrypted(db)) && (await holdsRecords(db))) {
    // Their identifier blocking keys hold the values, not blind indexes: turned on now, returning
    // people would no longer be found by national id, email or phone. Refused rather than wrong.
    throw new EncryptionKeyError(
      'ENCRYPTION.UNENCRYPTED_DATA',
      'this database already holds records written without encryption at rest; encryption is turned on for a new database (docs/decisions/0049-encryption-at-rest.md)',
    );
  }
  const cipher = await DatabaseFieldCipher.open(db, keks);
  installFieldCipher(cipher);
  return cipher;
}

async function holdsRecords(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('records').select('id').limit(1).executeTakeFirst()) !== undefined;
}
