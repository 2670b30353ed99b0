import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { SYSTEM_DIR, systemFolder } from './binaries';
import { canEnter, firstBarrier, nearestExisting, type SystemUser } from './systemUser';
import { PostgresStartError } from './startError';

export interface ClusterFolder {
  /** The folder Postgres uses (-D); a real path. */
  dir: string;
  /** Set when the cluster could not live where it was asked for: the folder asked for. */
  relocatedFrom?: string;
  /** Then: the folder on the way that the user Postgres runs as cannot enter. */
  barrier?: string;
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

function slug(dir: string): string {
  const text = dir.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return text.slice(-48) || 'cluster';
}

/**
 * Where the cluster asked for at `requested` lives. As root Postgres runs as the `postgres` user,
 * who must be able to enter the folder: when it cannot (a clone in /root, mode 0700), the cluster
 * goes to /var/lib/nexus/clusters/<name> and, when it is kept, `requested` becomes a symlink to
 * it, so the data folder still says where its database is and a moved clone finds it again.
 */
export async function clusterFolder(
  requested: string,
  user: SystemUser | undefined,
  persistent: boolean,
): Promise<ClusterFolder> {
  const asked = path.resolve(requested);
  const stat = await fs.lstat(asked).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    const target = await fs.readlink(asked);
    const dir = await fs.realpath(asked).catch((error: unknown) => {
      throw new PostgresStartError(
        `${asked} points to the embedded database in ${target}, which is gone: remove ${asked} to start with an empty database`,
        { cause: error },
      );
    });
    return prepared({ dir, relocatedFrom: asked }, user);
  }
  const parent = path.dirname(asked);
  await fs.mkdir(parent, { recursive: true });
  if (await exists(path.join(asked, 'PG_VERSION'))) {
    if (!canEnter(user, parent)) {
      throw new PostgresStartError(
        `the ${user?.name} user, who runs the embedded Postgres, cannot enter ${nearestExisting(parent)} to reach ` +
          `the database in ${asked}: let it through (chmod o+x on the folders on the way) or move the data folder (NEXUS_DATA_DIR)`,
      );
    }
    return prepared({ dir: asked }, user);
  }
  if (canEnter(user, parent)) return prepared({ dir: asked }, user);
  const clusters = path.join(SYSTEM_DIR, 'clusters');
  await systemFolder(clusters);
  const dir = path.join(clusters, `${slug(asked)}-${randomBytes(4).toString('hex')}`);
  if (persistent) {
    await fs.rmdir(asked).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return;
      throw new PostgresStartError(
        `${asked} holds files but no database: remove it, or set NEXUS_DATA_DIR to another folder`,
        {
          cause: error,
        },
      );
    });
    await fs.symlink(dir, asked);
  }
  return prepared({ dir, relocatedFrom: asked, barrier: firstBarrier(user, parent) }, user);
}

/** The folder exists, belongs to the user Postgres runs as and is private to it (initdb insists). */
async function prepared(folder: ClusterFolder, user: SystemUser | undefined): Promise<ClusterFolder> {
  await fs.mkdir(folder.dir, { recursive: true, mode: 0o700 });
  if (user) {
    const stat = await fs.stat(folder.dir);
    if (stat.uid !== user.uid) await fs.chown(folder.dir, user.uid, user.gid);
  }
  return folder;
}
