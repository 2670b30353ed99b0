import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PostgresStartError } from './startError';

/** The superuser password of clusters made before passwords were generated (nexus/nexus). */
export const LEGACY_PASSWORD = 'nexus';

function generate(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The embedded superuser's password: generated at the first start and kept in `file` (mode 0600,
 * readable by the account that runs Nexus only); without a file (a throw-away cluster) a fresh
 * one that lives as long as the process.
 */
export async function superuserPassword(file: string | undefined): Promise<string> {
  if (!file) return generate();
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, `${generate()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = await fs.stat(file);
  // A copy or an archive may have widened it: nobody else may read it.
  if ((stat.mode & 0o077) !== 0) await fs.chmod(file, 0o600);
  const password = (await fs.readFile(file, 'utf8')).trim();
  if (!password)
    throw new PostgresStartError(
      `${file} is empty: remove it and the database it belongs to, or write the password back`,
    );
  return password;
}
