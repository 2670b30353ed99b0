/**
 * The held-back sample a self-retrained model is checked against
 * (docs/decisions/0040-self-retraining.md), read from the register. A case is a record and one
 * golden record; its label is where the record stands NOW: the same person when the record
 * belongs to that golden record (after any merges), someone else when it belongs elsewhere.
 *   - Reviewer verdicts: every resolved review case (same person, new person, merge) against
 *     each of its candidates. The verdicts are never sampled: they are the only labels no model
 *     made.
 *   - Confident decisions: the engine's own links and new-person decisions that cleared their
 *     threshold by CONFIDENT_MARGIN bits or more, on a share of the records chosen by a hash of
 *     their id. Training leaves those records out (heldBackRecord below).
 * The golden record is compared without the record itself.
 */
import { sql, type RawBuilder } from 'kysely';
import { survivorChain, type Db } from '@nexus/actors';
import {
  DEFAULT_POLICY,
  MAX_COMPARED_MEMBERS,
  type CandidateGolden,
  type HeldBackCase,
  type HeldBackSource,
  type NormalisedRecord,
} from '@nexus/matching';

/** Bits beyond a threshold that make a decision "confident": odds of 32 to 1 past it. */
export const CONFIDENT_MARGIN = 5;

export interface HeldBackOptions {
  /** Share of the records (0..1) held back from training. */
  share: number;
  /** Confident decisions read at most. */
  maxConfident: number;
  /** Reviewer verdicts read at most (the newest). */
  maxVerdicts: number;
}

/** True for the records held back: the same ones on every run, whatever the training seed. */
export function heldBackRecord(idColumn: RawBuilder<unknown>, share: number): RawBuilder<boolean> {
  const limit = Math.floor(Math.min(Math.max(share, 0), 1) * 4_294_967_296);
  return sql<boolean>`(('x' || substr(md5('held-back:' || ${idColumn}::text), 1, 8))::bit(32)::bigint < ${limit})`;
}

interface CaseRow {
  record_id: string;
  normalised: NormalisedRecord;
  golden_id: string;
  same_person: boolean;
  source: HeldBackSource;
}

export async function readHeldBackSample(db: Db, options: HeldBackOptions): Promise<HeldBackCase[]> {
  const confidentLink = DEFAULT_POLICY.linkThreshold + CONFIDENT_MARGIN;
  const confidentNew = DEFAULT_POLICY.reviewThreshold - CONFIDENT_MARGIN;
  // The demographic part when a face took part: the check compares demographics only.
  const score = sql`coalesce((r.explanation->'candidates'->0->>'demographic')::float8, (r.explanation->>'total')::float8)`;
  const rows = await sql<CaseRow>`
    with recursive verdicts as (
      select c.record_id, cc.golden_id
      from review_cases c
      join review_case_candidates cc on cc.case_id = c.id
      where c.status = 'resolved' and c.resolution in ('same_as', 'new_person', 'merge')
        and c.record_id is not null
        and c.id in (
          select id from review_cases
          where status = 'resolved' and resolution in ('same_as', 'new_person', 'merge')
          order by resolved_at desc limit ${options.maxVerdicts}
        )
    ), confident as (
      select r.id as record_id,
        case when r.status = 'linked' then m.golden_id
             else (r.explanation->'candidates'->0->>'goldenId')::uuid end as golden_id
      from records r
      left join golden_record_members m on m.record_id = r.id
      where r.status in ('linked', 'new') and r.normalised is not null and r.explanation is not null
        and ${heldBackRecord(sql`r.id`, options.share)}
        and ((r.status = 'linked' and r.decision_rule = 'at_or_above_link_threshold'
              and ${score} >= ${confidentLink})
          or (r.status = 'new' and r.decision_rule = 'below_review_threshold'
              and ${score} <= ${confidentNew}))
      order by md5('held-back:' || r.id::text)
      limit ${options.maxConfident}
    ), cases as (
      select record_id, golden_id, 'reviewer' as source from verdicts
      union all
      select record_id, golden_id, 'confident_decision' from confident where golden_id is not null
    ), ${survivorChain('survivor', sql`select distinct golden_id from cases`)}
    select distinct on (c.record_id, s.golden_id)
      c.record_id, r.normalised, s.golden_id, c.source,
      coalesce(own.golden_id = s.golden_id, false) as same_person
    from cases c
    join survivor s on s.start_id = c.golden_id
    join golden_records g on g.id = s.golden_id and g.status = 'active'
    join records r on r.id = c.record_id and r.normalised is not null
    left join golden_record_members own on own.record_id = c.record_id
    order by c.record_id, s.golden_id, c.source desc
  `.execute(db);
  const members = await membersOf(db, [...new Set(rows.rows.map((r) => r.golden_id))]);
  const cases: HeldBackCase[] = [];
  for (const row of rows.rows) {
    const others = (members.get(row.golden_id) ?? []).filter((m) => m.recordId !== row.record_id);
    if (others.length === 0) continue;
    const golden: CandidateGolden = { goldenId: row.golden_id, members: others };
    cases.push({ record: row.normalised, golden, samePerson: row.same_person, source: row.source });
  }
  return cases;
}

async function membersOf(
  db: Db,
  goldenIds: readonly string[],
): Promise<Map<string, CandidateGolden['members']>> {
  const byGolden = new Map<string, CandidateGolden['members']>();
  for (let i = 0; i < goldenIds.length; i += 5_000) {
    const rows = await sql<{ golden_id: string; record_id: string; normalised: NormalisedRecord }>`
      select golden_id, record_id, normalised from (
        select m.golden_id, m.record_id, r.normalised,
          row_number() over (partition by m.golden_id order by m.linked_at, m.record_id) as n
        from golden_record_members m join records r on r.id = m.record_id
        where m.golden_id = any(${goldenIds.slice(i, i + 5_000)}::uuid[]) and r.normalised is not null
      ) ranked where n <= ${MAX_COMPARED_MEMBERS + 1}
    `.execute(db);
    for (const r of rows.rows) {
      const list = byGolden.get(r.golden_id) ?? [];
      list.push({ recordId: r.record_id, normalised: r.normalised });
      byGolden.set(r.golden_id, list);
    }
  }
  return byGolden;
}
