import fs from 'node:fs/promises';
import path from 'node:path';
import { insideAllowedFolder } from '@nexus/actors';
import { FetchFailure } from './fetchFailure';

/**
 * Opens a file source under the face path policy (docs/decisions/0024-face-image-policy.md): its
 * real path must lie in NEXUS_IMPORT_DIRS, it is opened without following a final symlink and
 * without blocking, and only a regular file is read (never a FIFO, a device or a directory).
 */
export async function fileText(
  file: string,
  dirs: readonly string[],
  signal: AbortSignal,
): Promise<AsyncIterable<string>> {
  if (!path.isAbsolute(file))
    throw new FetchFailure('FETCH.INVALID_SOURCE', 'a file source needs an absolute path', false);
  const refused = () =>
    new FetchFailure('FETCH.REFUSED', `${file} is not a file inside NEXUS_IMPORT_DIRS`, false);
  const real = await fs.realpath(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new FetchFailure('FETCH.NOT_FOUND', `${file}: no such file`, false);
    return null;
  });
  if (real === null || !(await insideAllowedFolder(real, dirs))) throw refused();
  const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(real, flags).catch((error: NodeJS.ErrnoException) => {
    throw new FetchFailure(
      'FETCH.NOT_RECORDS',
      `${file} cannot be read (${error.code ?? error.message})`,
      false,
    );
  });
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw refused();
  }
  if (stat.size === 0) {
    await handle.close();
    throw new FetchFailure('FILE.EMPTY', `${file} is empty`, false);
  }
  return handle.createReadStream({
    encoding: 'utf8',
    highWaterMark: 1 << 16,
    signal,
    autoClose: true,
  }) as AsyncIterable<string>;
}
