import { DEFAULT_MODEL, DEFAULT_POLICY, type DecisionPolicy, type MatchModel } from '../matching';
import type { Db } from '../db/database';

export interface ActiveModel {
  version: number;
  params: MatchModel;
  policy: DecisionPolicy;
}

/**
 * The model every decision of this process uses. The first start stores the shipped defaults as
 * version 1; `nexus train` adds versions and activates one. Decisions record the version.
 */
export async function loadActiveModel(db: Db): Promise<ActiveModel> {
  const active = await db.selectFrom('model_versions').selectAll().where('active', '=', true).executeTakeFirst();
  if (active) {
    const params = active.params as unknown as MatchModel;
    return { version: active.id, params, policy: DEFAULT_POLICY };
  }
  const inserted = await db
    .insertInto('model_versions')
    .values({ kind: 'default', params: JSON.stringify(DEFAULT_MODEL) as never, active: true, notes: 'shipped defaults' })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return loadActiveModel(db); // another process stored it first
  return { version: inserted.id, params: DEFAULT_MODEL, policy: DEFAULT_POLICY };
}
