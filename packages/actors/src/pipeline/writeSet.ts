import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';
import type { AuditEntry } from './audit';
import { sealPersonal } from '../privacy/personalFields';

/**
 * The writes of one decision, sent to Postgres as ONE statement: each write is a data-modifying
 * CTE and the record's own update closes it. A decision used to cost a dozen round trips; the
 * thread mostly waited on them. Foreign keys between the parts are checked at the end of the
 * statement, so a member may reference the golden record created beside it.
 */
export class WriteSet {
  private readonly parts: Array<{ name: string; part: RawBuilder<unknown> }> = [];

  /** A part may be named, for later parts that read what it returned (`select ... from name`). */
  add(part: RawBuilder<unknown>, name = `w${this.parts.length}`): this {
    if (!/^[a-z_][a-z0-9_]*$/.test(name) || this.parts.some((p) => p.name === name)) {
      throw new Error(`write set part name ${name} is not a fresh identifier`);
    }
    this.parts.push({ name, part });
    return this;
  }

  async execute(trx: Db, last: RawBuilder<unknown>): Promise<void> {
    if (this.parts.length === 0) {
      await last.execute(trx);
      return;
    }
    const ctes = this.parts.map((p) => sql`${sql.raw(p.name)} as (${p.part})`);
    await sql`with ${sql.join(ctes, sql`, `)} ${last}`.execute(trx);
  }
}

/** Personal identifiers in best values and explanations are sealed here (encryption at rest, 0049). */
const json = (value: unknown) => sql`${JSON.stringify(sealPersonal(value))}::jsonb`;

export function insertGoldenRecord(goldenId: string, best: Record<string, string>) {
  return sql`insert into golden_records (id, status, best, member_count, version)
    values (${goldenId}, 'active', ${json(best)}, 1, 1)`;
}

export function updateGoldenRecord(goldenId: string, best: Record<string, string>, memberCount: number) {
  return sql`update golden_records
    set best = ${json(best)}, member_count = ${memberCount}, version = version + 1, updated_at = now()
    where id = ${goldenId}`;
}

/** linked_at is the moment of the link, not the transaction's start (which may predate a twin's commit). */
export function insertMember(
  recordId: string,
  goldenId: string,
  precedence: 'primary' | 'secondary',
  score: number | null,
) {
  return sql`insert into golden_record_members (record_id, golden_id, precedence, link_score, linked_at)
    values (${recordId}, ${goldenId}, ${precedence}, ${score}, clock_timestamp())`;
}

export function insertBlockingKeys(recordId: string, keys: readonly string[]) {
  return sql`insert into blocking_keys (key, record_id)
    select k, ${recordId}::uuid from unnest(${[...keys]}::text[]) as k on conflict do nothing`;
}

export function insertAuditEntries(entries: readonly AuditEntry[]) {
  const rows = entries.map(
    (e) =>
      sql`(${e.actor}, ${e.action}, ${e.entity_type}, ${e.entity_id}, ${e.record_id ?? null}::uuid,
        ${e.before === null ? null : JSON.stringify(e.before)}::jsonb, ${e.after === null ? null : JSON.stringify(e.after)}::jsonb)`,
  );
  return sql`insert into audit_log (actor, action, entity_type, entity_id, record_id, before, after)
    values ${sql.join(rows, sql`, `)}`;
}

export function insertReviewCase(caseId: string, recordId: string, kind: string, score: number) {
  return sql`insert into review_cases (id, record_id, kind, status, score)
    values (${caseId}, ${recordId}, ${kind}, 'open', ${score})`;
}

export function insertReviewCandidates(
  caseId: string,
  candidates: ReadonlyArray<{ goldenId: string; score: number; explanation: Record<string, unknown> }>,
) {
  const rows = candidates.map(
    (c) => sql`(${caseId}::uuid, ${c.goldenId}::uuid, ${c.score}, ${json(c.explanation)})`,
  );
  return sql`insert into review_case_candidates (case_id, golden_id, score, explanation) values ${sql.join(rows, sql`, `)}`;
}

/**
 * A merge proposal of golden records: a case with no record, one per set of golden records
 * (proposal_key). Returns nothing when that set was proposed before, so the parts reading it
 * (insertProposalCandidates, insertProposalAudit) then write nothing either.
 */
export function insertMergeProposal(caseId: string, proposalKey: string, score: number) {
  return sql`insert into review_cases (id, record_id, kind, status, score, proposal_key)
    values (${caseId}, null, 'merge_proposal', 'open', ${score}, ${proposalKey})
    on conflict (proposal_key) where proposal_key is not null do nothing
    returning id`;
}

export function insertProposalCandidates(
  proposal: string,
  candidates: ReadonlyArray<{ goldenId: string; score: number; explanation: Record<string, unknown> }>,
) {
  const rows = candidates.map(
    (c) => sql`(${c.goldenId}::uuid, ${c.score}::double precision, ${json(c.explanation)})`,
  );
  return sql`insert into review_case_candidates (case_id, golden_id, score, explanation)
    select p.id, v.golden_id, v.score, v.explanation
    from ${sql.raw(proposal)} as p cross join (values ${sql.join(rows, sql`, `)}) as v(golden_id, score, explanation)`;
}

export function insertProposalAudit(proposal: string, entry: Omit<AuditEntry, 'entity_id'>) {
  return sql`insert into audit_log (actor, action, entity_type, entity_id, record_id, before, after)
    select ${entry.actor}, ${entry.action}, ${entry.entity_type}, p.id::text, ${entry.record_id ?? null}::uuid,
      ${entry.before === null ? null : JSON.stringify(entry.before)}::jsonb,
      ${entry.after === null ? null : JSON.stringify(entry.after)}::jsonb
    from ${sql.raw(proposal)} as p`;
}
