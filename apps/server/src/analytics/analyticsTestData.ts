import { randomUUID } from 'node:crypto';
import type { Db } from '@nexus/actors';
import type { FieldQualityFlags, RecordStatus } from '@nexus/schema';
import { required, seededRandom } from '@nexus/schema';

/** Source rows for rollup tests: records, review cases, dead letters and audit entries over several days and sources. */

export const TEST_SOURCES = ['census', 'clinic', 'bank'] as const;
const STATUSES: RecordStatus[] = [
  'new',
  'linked',
  'linked',
  'review',
  'rejected',
  'dead_lettered',
  'relayed',
  'cancelled',
];
const RULES = ['invalid_record', 'liveness_failed', 'rejected_in_review'];
const FLAGS = ['missing', 'invalid', 'repaired'] as const;
const FIELDS = ['date_of_birth', 'phone', 'email', 'given_name'];
const OUTCOMES = ['same_as', 'new_person', 'merge', 'reject'];
const REVIEWERS = ['ana', 'bo', 'chen'];

export interface GenerateOptions {
  records: number;
  /** Records arrive from this instant over `days` days. */
  start: Date;
  days: number;
  seed: number;
  /** A prefix that keeps external ids unique across calls. */
  tag: string;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => {
  const i = Math.floor(rnd() * xs.length);
  return required(xs[i], `pick: item ${i} of ${xs.length}`);
};

/** Writes the rows; returns the ids of the records it made. */
export async function generateSourceRows(db: Db, o: GenerateOptions): Promise<string[]> {
  const rnd = seededRandom(o.seed);
  const span = o.days * 86_400_000;
  const records = Array.from({ length: o.records }, (_, i) => {
    const receivedAt = new Date(o.start.getTime() + Math.floor(rnd() * span));
    const status = pick(rnd, STATUSES);
    const decided = status !== 'relayed' && status !== 'cancelled';
    // Some decisions land hours later, across midnight.
    const decidedAt = decided
      ? new Date(receivedAt.getTime() + Math.floor(rnd() * (rnd() < 0.1 ? 6 * 3_600_000 : 5_000)))
      : null;
    const quality: FieldQualityFlags | null =
      decided && status !== 'dead_lettered' && rnd() < 0.8
        ? Object.fromEntries(FIELDS.filter(() => rnd() < 0.4).map((f) => [f, pick(rnd, FLAGS)]))
        : null;
    return {
      id: randomUUID(),
      source: pick(rnd, TEST_SOURCES),
      external_id: `${o.tag}-${i}`,
      partition: i % 4,
      payload: JSON.stringify({ external_id: `${o.tag}-${i}` }) as never,
      status,
      decision_rule: status === 'rejected' ? pick(rnd, RULES) : null,
      quality: quality === null ? null : (JSON.stringify(quality) as never),
      received_at: receivedAt,
      decided_at: decidedAt,
    };
  });
  for (let i = 0; i < records.length; i += 500)
    await db
      .insertInto('records')
      .values(records.slice(i, i + 500))
      .execute();

  const cases = records
    .filter((r) => r.status === 'review' || ((r.status === 'linked' || r.status === 'new') && rnd() < 0.3))
    .map((r) => caseRow(rnd, r.id, r.decided_at ?? r.received_at));
  for (let i = 0; i < 3; i++)
    cases.push(caseRow(rnd, null, new Date(o.start.getTime() + Math.floor(rnd() * span))));
  if (cases.length > 0) await db.insertInto('review_cases').values(cases).execute();

  const dead = records.filter((r) => r.status === 'dead_lettered');
  if (dead.length > 0)
    await db
      .insertInto('dead_letters')
      .values(
        dead.map((r, i) => ({
          record_id: r.id,
          partition: r.partition,
          bus_offset: String(i),
          payload: JSON.stringify({}) as never,
          error: 'boom',
          attempts: 5,
          status: 'open' as const,
          created_at: required(r.decided_at, `decided_at of dead-lettered record ${r.id}`),
        })),
      )
      .execute();

  const audit = records.flatMap((r) => {
    if (r.status !== 'new' || !r.decided_at) return [];
    return [
      {
        actor: 'engine',
        action: 'golden_record.created',
        entity_type: 'golden_record' as const,
        entity_id: randomUUID(),
        record_id: r.id,
        at: r.decided_at,
        before: null,
        after: null,
      },
    ];
  });
  for (let i = 0; i < 4; i++)
    audit.push({
      actor: 'ana',
      action: 'golden_record.merged_into',
      entity_type: 'golden_record',
      entity_id: randomUUID(),
      record_id: null as never,
      at: new Date(o.start.getTime() + Math.floor(rnd() * span)),
      before: null,
      after: null,
    });
  if (audit.length > 0) await db.insertInto('audit_log').values(audit).execute();
  return records.map((r) => r.id);
}

function caseRow(rnd: () => number, recordId: string | null, openedAt: Date) {
  const resolved = rnd() < 0.6;
  const claimed = resolved ? rnd() < 0.7 : rnd() < 0.3;
  const claimedAt = claimed ? new Date(openedAt.getTime() + Math.floor(rnd() * 20 * 3_600_000)) : null;
  const resolvedAt = resolved
    ? new Date((claimedAt ?? openedAt).getTime() + Math.floor(rnd() * 30 * 3_600_000))
    : null;
  const reviewer = pick(rnd, REVIEWERS);
  return {
    id: randomUUID(),
    record_id: recordId,
    kind: recordId ? ('possible_match' as const) : ('merge_proposal' as const),
    status: resolved ? ('resolved' as const) : claimed ? ('claimed' as const) : ('open' as const),
    score: 0.5,
    created_at: openedAt,
    claimed_by: claimed ? reviewer : null,
    claimed_at: claimedAt,
    resolved_by: resolved ? reviewer : null,
    resolved_at: resolvedAt,
    resolution: resolved ? pick(rnd, OUTCOMES) : null,
    reason: null,
    proposal_key: recordId ? null : randomUUID(),
  };
}
