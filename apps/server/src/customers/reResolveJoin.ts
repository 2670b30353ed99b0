import { loadActiveModel, type Db, type MemberRow } from '@nexus/actors';
import { reResolve, type NormalisedRecord, type ReResolution } from '@nexus/matching';

/**
 * Re-resolution of golden records being joined (docs/decisions/0021-merge-proposals-of-golden-records.md):
 * their members compared with one another under the active model, as the engine would compare
 * them. Members without a stored normalised form (never decided by the engine) are left out.
 */
export async function reResolveJoin(
  trx: Db,
  goldenIds: readonly string[],
  members: readonly MemberRow[],
): Promise<ReResolution> {
  const rows = members.length
    ? await trx
        .selectFrom('records')
        .select(['id', 'normalised'])
        .where(
          'id',
          'in',
          members.map((m) => m.record_id),
        )
        .execute()
    : [];
  const normalised = new Map(rows.map((r) => [r.id, r.normalised as unknown as NormalisedRecord | null]));
  const model = await loadActiveModel(trx);
  const joined = goldenIds.map((goldenId) => ({
    goldenId,
    members: members.flatMap((m) => {
      const n = m.golden_id === goldenId ? normalised.get(m.record_id) : undefined;
      return n ? [{ recordId: m.record_id, normalised: n }] : [];
    }),
  }));
  return reResolve(joined, model.params, model.policy, model.tf);
}
