import { sql, type RawBuilder } from 'kysely';
import type { RecordStatus } from '@nexus/schema';
import type { Db } from '../../db/database';
import type { AuditEntry } from '../audit';
import { sealPersonal } from '../../privacy/personalFields';
import { WriteSet } from '../writeSet';

/**
 * The writes of many decisions, as rows, sent as ONE statement of set-based parts (each a
 * data-modifying CTE over jsonb_to_recordset): the rows the one-record path writes
 * (pipeline/writeSet.ts, goldenRecords/createAndLink.ts), for a whole set of records at once. Both
 * set-based deciders write through it: the engine's micro-batch (decideRecordBatch.ts, 64 records
 * cost one round trip, not 64) and `nexus dedupe`'s pages (batch/decideStoredRecords.ts). Foreign
 * keys are checked at the end of the statement, so a member may reference a golden record created
 * beside it. Rows keep the order they were added in (audit ids, link times), which is the order
 * the records were decided in.
 */
export class BatchWrites {
  readonly goldenInserts: Array<{ id: string; best: object; member_count: number; version: number }> = [];
  readonly goldenUpdates: Array<{ id: string; best: object; member_count: number; links: number }> = [];
  readonly members: Array<{
    record_id: string;
    golden_id: string;
    precedence: 'primary' | 'secondary';
    link_score: number | null;
  }> = [];
  readonly audit: AuditEntry[] = [];
  /** A merge proposal has no record and a proposal_key (one case per set of golden records). */
  readonly reviewCases: Array<{
    id: string;
    record_id: string | null;
    kind: string;
    score: number;
    proposal_key?: string;
  }> = [];
  readonly reviewCandidates: Array<{
    case_id: string;
    golden_id: string;
    score: number;
    explanation: object;
  }> = [];
  readonly blockingKeys: Array<{ record_id: string; key: string }> = [];
  /** Faces already in ABIS (inserted before the batch's searches): enrolled as of this statement. */
  readonly biometricReferences: Array<{ reference_id: string; golden_id: string }> = [];
  readonly decided: Array<{
    id: string;
    status: RecordStatus;
    normalised: object;
    explanation: object;
    decision_rule: string;
    model_version: number;
    errors: object | null;
    quality: object;
    /** The record's place in the batch (its offset order). */
    ord: number;
  }> = [];
  readonly rejected: Array<{
    id: string;
    decision_rule: string;
    errors: object;
    explanation: object | null;
    ord: number;
  }> = [];

  async execute(trx: Db): Promise<void> {
    // Personal identifiers in best values, explanations and normalised forms are sealed as the
    // one-record path seals them (encryption at rest, ADR 0049).
    const sealed = <T extends object>(list: readonly T[], fields: ReadonlyArray<keyof T>) =>
      list.map((row) => {
        const out = { ...row };
        for (const f of fields) out[f] = sealPersonal(row[f]);
        return out;
      });
    // One clock reading for the statement; rows are a microsecond apart in the order they were
    // decided, so decided_at and linked_at keep the offset order (invariant 7) and the link order.
    const writes = new WriteSet().add(sql`select clock_timestamp() as at`, CLOCK);
    const parts: Array<RawBuilder<unknown> | null> = [
      rows(
        sealed(this.goldenInserts, ['best']),
        (t) => sql`insert into golden_records (id, status, best, member_count, version)
          select t.id, 'active', t.best, t.member_count, t.version
          from ${t} as t(id uuid, best jsonb, member_count int, version int)`,
      ),
      rows(
        sealed(this.goldenUpdates, ['best']),
        (t) => sql`update golden_records g
          set best = t.best, member_count = t.member_count, version = g.version + t.links, updated_at = now()
          from ${t} as t(id uuid, best jsonb, member_count int, links int)
          where g.id = t.id`,
      ),
      rows(
        this.members.map((m, ord) => ({ ...m, ord })),
        (t) => sql`insert into golden_record_members (record_id, golden_id, precedence, link_score, linked_at)
          select t.record_id, t.golden_id, t.precedence, t.link_score, ${at}
          from ${t} as t(record_id uuid, golden_id uuid, precedence text, link_score float8, ord int)`,
      ),
      rows(
        this.audit.map((e, ord) => ({ ...e, record_id: e.record_id ?? null, ord })),
        (t) => sql`insert into audit_log (actor, action, entity_type, entity_id, record_id, before, after)
          select t.actor, t.action, t.entity_type, t.entity_id, t.record_id, t.before, t.after
          from ${t} as t(actor text, action text, entity_type text, entity_id text,
            record_id uuid, before jsonb, after jsonb, ord int)
          order by t.ord`,
      ),
      rows(
        this.reviewCases,
        (t) => sql`insert into review_cases (id, record_id, kind, status, score, proposal_key)
          select t.id, t.record_id, t.kind, 'open', t.score, t.proposal_key
          from ${t} as t(id uuid, record_id uuid, kind text, score float8, proposal_key text)`,
      ),
      rows(
        sealed(this.reviewCandidates, ['explanation']),
        (t) => sql`insert into review_case_candidates (case_id, golden_id, score, explanation)
          select t.case_id, t.golden_id, t.score, t.explanation
          from ${t} as t(case_id uuid, golden_id uuid, score float8, explanation jsonb)`,
      ),
      rows(
        this.blockingKeys,
        (t) => sql`insert into blocking_keys (key, record_id)
          select t.key, t.record_id from ${t} as t(record_id uuid, key text) on conflict do nothing`,
      ),
      rows(
        this.biometricReferences.map((b, ord) => ({ ...b, ord })),
        (t) => sql`insert into biometric_references (reference_id, golden_id, status, enrolled_at)
          select t.reference_id, t.golden_id, 'enrolled', ${at}
          from ${t} as t(reference_id uuid, golden_id uuid, ord int)
          on conflict (reference_id) do nothing`,
      ),
      rows(
        sealed(this.rejected, ['explanation']),
        (t) => sql`update records r
          set status = 'rejected', decision_rule = t.decision_rule, errors = t.errors,
            explanation = coalesce(t.explanation, r.explanation), decided_at = ${at}
          from ${t} as t(id uuid, decision_rule text, errors jsonb, explanation jsonb, ord int)
          where r.id = t.id`,
      ),
    ];
    for (const part of parts) if (part) writes.add(part);
    // The records' own update closes the statement (every batch decides at least one record).
    const last =
      rows(
        sealed(this.decided, ['normalised', 'explanation']),
        (t) => sql`update records r
          set status = t.status, normalised = t.normalised, explanation = t.explanation,
            decision_rule = t.decision_rule, model_version = t.model_version, errors = t.errors,
            quality = t.quality, decided_at = ${at}
          from ${t} as t(id uuid, status text, normalised jsonb, explanation jsonb, decision_rule text,
            model_version int, errors jsonb, quality jsonb, ord int)
          where r.id = t.id`,
      ) ?? sql`select 1`;
    await writes.execute(trx, last);
  }
}

const CLOCK = 'batch_clock';
const at = sql`(select at from ${sql.raw(CLOCK)}) + t.ord * interval '1 microsecond'`;

/** A set-based part over `list` as a recordset, or nothing for an empty list. */
function rows<T>(list: readonly T[], part: (table: RawBuilder<unknown>) => RawBuilder<unknown>) {
  return list.length === 0 ? null : part(sql`jsonb_to_recordset(${JSON.stringify(list)}::jsonb)`);
}
