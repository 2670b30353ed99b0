import type { Db } from '@nexus/actors';
import type { Viewer } from '../auth/ownership';
import { IngestError } from './errors';

/**
 * External ids are unique per source, so a source is a namespace, and it belongs to one ingest
 * account: the first to submit to it claims it. Another ingest account is refused, so it can
 * neither learn which external ids the owner has (a repeated id answers the existing record's
 * id) nor take them first. Admins and operators submit to any source and claim none.
 */
export async function claimSource(db: Db, source: string, viewer: Viewer): Promise<void> {
  if (viewer.sees === 'everything') return;
  let owner = await ownerOf(db, source);
  if (owner === undefined) {
    await db
      .insertInto('source_owners')
      .values({ source, user_id: viewer.userId })
      .onConflict((oc) => oc.column('source').doNothing())
      .execute();
    owner = await ownerOf(db, source);
  }
  if (owner !== viewer.userId) {
    throw new IngestError(
      'SOURCE.NOT_YOURS',
      `source ${source} belongs to another account: submit under a source name of your own`,
    );
  }
}

async function ownerOf(db: Db, source: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('source_owners')
    .select('user_id')
    .where('source', '=', source)
    .executeTakeFirst();
  return row?.user_id;
}
