import fs from 'node:fs';
import { EncryptionKeyError, type KeyEncryptionSecret } from '@nexus/actors';
import type { Config } from '../config';

type EncryptionSettings = Pick<
  Config,
  'NEXUS_ENCRYPTION_KEY' | 'NEXUS_ENCRYPTION_KEY_FILE' | 'NEXUS_ENCRYPTION_PREVIOUS_KEY'
>;

/**
 * The key-encryption keys given to this process, the current one first: NEXUS_ENCRYPTION_KEY or
 * the file NEXUS_ENCRYPTION_KEY_FILE names (a mounted secret), then NEXUS_ENCRYPTION_PREVIOUS_KEY
 * during a rotation. None: encryption at rest is off (docs/decisions/0049-encryption-at-rest.md).
 */
export function encryptionKeySecrets(config: EncryptionSettings): KeyEncryptionSecret[] {
  const secrets: KeyEncryptionSecret[] = [];
  if (config.NEXUS_ENCRYPTION_KEY !== undefined && config.NEXUS_ENCRYPTION_KEY_FILE !== undefined) {
    throw new EncryptionKeyError(
      'ENCRYPTION.KEY_INVALID',
      'set NEXUS_ENCRYPTION_KEY or NEXUS_ENCRYPTION_KEY_FILE, not both',
    );
  }
  if (config.NEXUS_ENCRYPTION_KEY !== undefined) {
    secrets.push({ secret: config.NEXUS_ENCRYPTION_KEY, origin: 'NEXUS_ENCRYPTION_KEY' });
  }
  if (config.NEXUS_ENCRYPTION_KEY_FILE !== undefined) {
    const file = config.NEXUS_ENCRYPTION_KEY_FILE;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (cause) {
      throw new EncryptionKeyError(
        'ENCRYPTION.KEY_MISSING',
        `NEXUS_ENCRYPTION_KEY_FILE ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      );
    }
    secrets.push({ secret: text, origin: `NEXUS_ENCRYPTION_KEY_FILE ${file}` });
  }
  if (config.NEXUS_ENCRYPTION_PREVIOUS_KEY !== undefined) {
    if (secrets.length === 0) {
      throw new EncryptionKeyError(
        'ENCRYPTION.KEY_MISSING',
        'NEXUS_ENCRYPTION_PREVIOUS_KEY is set without NEXUS_ENCRYPTION_KEY: give the new key too',
      );
    }
    secrets.push({ secret: config.NEXUS_ENCRYPTION_PREVIOUS_KEY, origin: 'NEXUS_ENCRYPTION_PREVIOUS_KEY' });
  }
  return secrets;
}
