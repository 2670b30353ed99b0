/**
 * Face references in Postgres: which golden record each ABIS reference belongs to now (following
 * merges), which golden records have an enrolled face, and the enrolment bookkeeping.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { mergedTree, survivorChain } from '../goldenRecords/mergeChains';
import type { BiometricHit, CandidateGolden, NormalisedRecord } from '@nexus/matching';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference id that Nexus could have enrolled (others, e.g. another system's, are skipped). */
const isNexusReference = (id: string) => UUID.test(id);

/** The golden record each reference belongs to now (at the end of its merged_into chain). */
export async function goldenOfReferences(
  trx: Db,
  referenceIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(referenceIds.filter(isNexusReference))];
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ reference_id: string; golden_id: string }>`
    with recursive ${survivorChain('survivor', sql`select distinct golden_id from biometric_references where reference_id = any(${ids}::uuid[])`)}
    select b.reference_id, s.golden_id
    from biometric_references b join survivor s on s.start_id = b.golden_id
    where b.reference_id = any(${ids}::uuid[])`.execute(trx);
  return new Map(rows.map((r) => [r.reference_id, r.golden_id]));
}

/**
 * Of these (active) golden records, those with a face enrolled before `before`, directly or
 * through a golden record merged into them: for them, a face that ABIS did not return is a
 * no-match. Later enrolments may not have been searchable yet, so they say nothing.
 */
export async function goldenWithEnrolledFaces(
  trx: Db,
  goldenIds: readonly string[],
  before: Date,
): Promise<Set<string>> {
  if (goldenIds.length === 0) return new Set();
  const { rows } = await sql<{ root: string }>`
    with recursive ${mergedTree('tree', sql`select unnest(${[...goldenIds]}::uuid[])`)}
    select distinct t.root_id as root
    from tree t
    cross join lateral (
      select 1 from biometric_references b
      where b.golden_id = t.golden_id and b.status = 'enrolled' and b.enrolled_at < ${before}
      limit 1
    ) as enrolled`.execute(trx);
  return new Set(rows.map((r) => r.root));
}

/**
 * The reference ids of faces enrolled before `before` in each of these golden records, directly or
 * through a golden record merged into them: the gallery a face is verified against.
 */
export async function enrolledReferences(
  trx: Db,
  goldenIds: readonly string[],
  before: Date,
): Promise<Map<string, string[]>> {
  if (goldenIds.length === 0) return new Map();
  const { rows } = await sql<{ root: string; reference_id: string }>`
    with recursive ${mergedTree('tree', sql`select unnest(${[...goldenIds]}::uuid[])`)}
    select t.root_id as root, b.reference_id::text as reference_id
    from tree t join biometric_references b on b.golden_id = t.golden_id
    where b.status = 'enrolled' and b.enrolled_at < ${before}
    order by t.root_id, b.reference_id`.execute(trx);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.root, [...(out.get(r.root) ?? []), r.reference_id]);
  return out;
}

/** ABIS candidates with the golden record each belongs to now (null for unknown references). */
export async function mapHitsToGolden(
  trx: Db,
  matches: ReadonlyArray<{ referenceId: string; scaledScore: number; internalScore: number }>,
): Promise<BiometricHit[]> {
  const golden = await goldenOfReferences(
    trx,
    matches.map((m) => m.referenceId),
  );
  return matches.map((m) => ({
    referenceId: m.referenceId,
    goldenId: golden.get(m.referenceId) ?? null,
    scaledScore: m.scaledScore,
    internalScore: m.internalScore,
  }));
}

/** Active golden records with their members, for golden records only the face search found. */
export async function loadGoldenCandidates(
  trx: Db,
  goldenIds: readonly string[],
): Promise<CandidateGolden[]> {
  if (goldenIds.length === 0) return [];
  const { rows } = await sql<{ golden_id: string; id: string; normalised: NormalisedRecord | null }>`
    select g.id as golden_id, r.id, r.normalised
    from unnest(${[...goldenIds]}::uuid[]) as g(id)
    cross join lateral (select 1 from golden_records gr where gr.id = g.id and gr.status = 'active') as active
    cross join lateral (
      select gm.record_id, gm.linked_at from golden_record_members gm where gm.golden_id = g.id
    ) as m
    cross join lateral (select rr.id, rr.normalised from records rr where rr.id = m.record_id) as r
    order by m.linked_at`.execute(trx);
  const byGolden = new Map<string, CandidateGolden>();
  for (const row of rows) {
    if (row.normalised === null) continue;
    let golden = byGolden.get(row.golden_id);
    if (!golden) byGolden.set(row.golden_id, (golden = { goldenId: row.golden_id, members: [] }));
    golden.members.push({ recordId: row.id, normalised: row.normalised });
  }
  return [...byGolden.values()];
}

/** Part of the decision's WriteSet: the record's face, to be enrolled once the decision commits. */
export function insertBiometricReference(recordId: string, goldenId: string) {
  return sql`insert into biometric_references (reference_id, golden_id, status)
    values (${recordId}, ${goldenId}, 'pending') on conflict (reference_id) do nothing`;
}

/** The record's face reference: pending, enrolled, or null when it has none. */
export async function referenceStatus(db: Db, recordId: string): Promise<'pending' | 'enrolled' | null> {
  const row = await db
    .selectFrom('biometric_references')
    .select('status')
    .where('reference_id', '=', recordId)
    .executeTakeFirst();
  return row?.status ?? null;
}

export async function markEnrolled(db: Db, recordId: string): Promise<void> {
  await db
    .updateTable('biometric_references')
    .set({ status: 'enrolled', enrolled_at: sql`clock_timestamp()` })
    .where('reference_id', '=', recordId)
    .where('status', '=', 'pending')
    .execute();
}
