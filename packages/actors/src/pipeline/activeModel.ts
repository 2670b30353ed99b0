import { sql } from 'kysely';
import {
  DEFAULT_MODEL,
  DEFAULT_POLICY,
  termFrequenciesOf,
  type DecisionPolicy,
  type MatchModel,
  type TermFrequencies,
} from '@nexus/matching';
import type { Db } from '../db/database';

export interface ActiveModel {
  version: number;
  params: MatchModel;
  policy: DecisionPolicy;
  /** The model's own term frequencies (a trained model carries them); none for the defaults. */
  tf?: TermFrequencies;
}

function activeModel(version: number, params: MatchModel): ActiveModel {
  const tf = termFrequenciesOf(params);
  return tf === undefined
    ? { version, params, policy: DEFAULT_POLICY }
    : { version, params, policy: DEFAULT_POLICY, tf };
}

/**
 * The model every decision of this process uses. The first start stores the shipped defaults as
 * version 1; `nexus train` adds versions and activates one. Decisions record the version.
 */
export async function loadActiveModel(db: Db): Promise<ActiveModel> {
  const active = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('active', '=', true)
    .executeTakeFirst();
  if (active) return activeModel(active.id, active.params as unknown as MatchModel);
  const inserted = await db
    .insertInto('model_versions')
    .values({
      kind: 'default',
      params: JSON.stringify(DEFAULT_MODEL) as never,
      active: true,
      notes: 'shipped defaults',
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return loadActiveModel(db); // another process stored it first
  return activeModel(inserted.id, DEFAULT_MODEL);
}

/** The id of the active model version, if any: cheap enough to ask every few seconds. */
export async function activeModelVersion(db: Db): Promise<number | undefined> {
  const row = await db
    .selectFrom('model_versions')
    .select('id')
    .where('active', '=', true)
    .executeTakeFirst();
  return row?.id;
}

export interface StoreModelOptions {
  kind: 'default' | 'trained';
  notes: string;
  /** Make it the active version (the previous one is deactivated in the same transaction). */
  activate: boolean;
}

/** Stores a model as a new version; returns its id. */
export async function storeModelVersion(
  db: Db,
  params: MatchModel,
  options: StoreModelOptions,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (options.activate) {
      // One writer at a time: two activations must not both deactivate and then collide.
      await sql`lock table model_versions in share row exclusive mode`.execute(trx);
      await trx.updateTable('model_versions').set({ active: false }).where('active', '=', true).execute();
    }
    const row = await trx
      .insertInto('model_versions')
      .values({
        kind: options.kind,
        params: JSON.stringify(params) as never,
        active: options.activate,
        notes: options.notes,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

/** Makes a stored version the active one. */
export async function activateModelVersion(db: Db, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`lock table model_versions in share row exclusive mode`.execute(trx);
    const exists = await trx
      .selectFrom('model_versions')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!exists) throw new Error(`model version ${id} does not exist`);
    await trx.updateTable('model_versions').set({ active: false }).where('active', '=', true).execute();
    await trx.updateTable('model_versions').set({ active: true }).where('id', '=', id).execute();
  });
}
