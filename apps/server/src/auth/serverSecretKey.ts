import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The file, in the data folder, that holds the generated secret key when NEXUS_SECRET_KEY is not set. */
export const SECRET_KEY_FILE = 'secret-key';

export interface ServerSecretKey {
  key: Buffer;
  /** Where it came from, for messages: the environment or the file. */
  source: string;
}

/**
 * The key that seals the server's secrets in the database (the JWT signing key): derived from
 * NEXUS_SECRET_KEY when set, else from a random one generated at the first start into
 * `<data folder>/secret-key`, mode 0600. It never enters the database, so reading the database
 * (a backup, a dump, another local account with its password) does not give the signing key.
 */
export async function resolveServerSecretKey(
  configured: string | undefined,
  dataDir: string,
): Promise<ServerSecretKey> {
  if (configured) return { key: derive(configured), source: 'NEXUS_SECRET_KEY' };
  const file = path.join(dataDir, SECRET_KEY_FILE);
  await fs.mkdir(dataDir, { recursive: true });
  try {
    await fs.writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // A copy or an archive may have widened it: nobody else may read it.
  if (((await fs.stat(file)).mode & 0o077) !== 0) await fs.chmod(file, 0o600);
  const text = (await fs.readFile(file, 'utf8')).trim();
  if (text.length < 32)
    throw new ServerSecretKeyError(`${file} holds no key (under 32 characters): remove it or restore it`);
  return { key: derive(text), source: file };
}

function derive(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'nexus', 'nexus server secrets v1', 32));
}

/** The secret key cannot be read, or does not open what the database holds. */
export class ServerSecretKeyError extends Error {
  readonly code = 'SECRETS.KEY_INVALID';
}
