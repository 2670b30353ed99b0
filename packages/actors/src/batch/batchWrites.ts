/**
 * The writes of many decisions, held as columns and sent as one set-based statement per table
 * (`insert ... select from unnest(...)`): what the stream writes one record at a time
 * (pipeline/writeSet.ts), for a batch job that decided a whole page of records in memory. The
 * rows are the stream's rows: the same tables, columns, audit entries and JSON shapes.
 */
import { sql } from 'kysely';
import type { RecordStatus } from '@nexus/schema';
import type { Db } from '../db/database';
import type { AuditEntry } from '../pipeline/audit';

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export class BatchWrites {
  private readonly golden = { id: [] as string[], best: [] as string[], members: [] as number[] };
  private readonly members = {
    record: [] as string[],
    golden: [] as string[],
    precedence: [] as string[],
    score: [] as Array<number | null>,
  };
  private readonly keys = { key: [] as string[], record: [] as string[] };
  private readonly audit: AuditEntry[] = [];
  private readonly cases = {
    id: [] as string[],
    record: [] as Array<string | null>,
    kind: [] as string[],
    score: [] as number[],
    proposal: [] as Array<string | null>,
  };
  private readonly caseCandidates = {
    caseId: [] as string[],
    golden: [] as string[],
    score: [] as number[],
    explanation: [] as string[],
  };
  private readonly records = {
    id: [] as string[],
    status: [] as string[],
    normalised: [] as Array<string | null>,
    explanation: [] as Array<string | null>,
    rule: [] as string[],
    errors: [] as Array<string | null>,
    quality: [] as Array<string | null>,
  };

  get size(): number {
    return this.records.id.length;
  }

  /** A golden record as it stands after the page: its final best values and member count. */
  goldenRecord(id: string, best: Record<string, unknown>, memberCount: number): void {
    this.golden.id.push(id);
    this.golden.best.push(JSON.stringify(best));
    this.golden.members.push(memberCount);
  }

  member(
    recordId: string,
    goldenId: string,
    precedence: 'primary' | 'secondary',
    score: number | null,
  ): void {
    this.members.record.push(recordId);
    this.members.golden.push(goldenId);
    this.members.precedence.push(precedence);
    this.members.score.push(score);
  }

  blockingKeys(recordId: string, keys: readonly string[]): void {
    for (const key of new Set(keys)) {
      this.keys.key.push(key);
      this.keys.record.push(recordId);
    }
  }

  auditEntry(entry: AuditEntry): void {
    this.audit.push(entry);
  }

  reviewCase(
    id: string,
    recordId: string | null,
    kind: string,
    score: number,
    proposalKey: string | null = null,
  ) {
    this.cases.id.push(id);
    this.cases.record.push(recordId);
    this.cases.kind.push(kind);
    this.cases.score.push(score);
    this.cases.proposal.push(proposalKey);
  }

  caseCandidate(caseId: string, goldenId: string, score: number, explanation: Record<string, unknown>) {
    this.caseCandidates.caseId.push(caseId);
    this.caseCandidates.golden.push(goldenId);
    this.caseCandidates.score.push(score);
    this.caseCandidates.explanation.push(JSON.stringify(explanation));
  }

  decided(
    recordId: string,
    decision: {
      status: RecordStatus;
      rule: string;
      normalised?: unknown;
      explanation?: unknown;
      errors?: unknown;
      quality?: unknown;
    },
  ): void {
    this.records.id.push(recordId);
    this.records.status.push(decision.status);
    this.records.rule.push(decision.rule);
    this.records.normalised.push(json(decision.normalised));
    this.records.explanation.push(json(decision.explanation));
    this.records.errors.push(json(decision.errors));
    this.records.quality.push(json(decision.quality));
  }

  /**
   * Sends it all in the caller's transaction, parents before children (golden records before
   * their members and cases). A golden record already stored (a link in a later page) is updated.
   */
  async execute(trx: Db, modelVersion: number): Promise<void> {
    const g = this.golden;
    if (g.id.length > 0)
      await sql`insert into golden_records (id, status, best, member_count, version)
        select id, 'active', best::jsonb, n, n from unnest(${g.id}::uuid[], ${g.best}::text[], ${g.members}::int[]) as v(id, best, n)
        on conflict (id) do update set best = excluded.best, member_count = excluded.member_count,
          version = excluded.version, updated_at = now()`.execute(trx);
    const m = this.members;
    if (m.record.length > 0)
      // clock_timestamp() per row, in the order linked: the order survivorship and candidates read.
      await sql`insert into golden_record_members (record_id, golden_id, precedence, link_score, linked_at)
        select r, g, p, s, clock_timestamp()
        from unnest(${m.record}::uuid[], ${m.golden}::uuid[], ${m.precedence}::text[], ${m.score}::float8[]) with ordinality as v(r, g, p, s, i)
        order by i`.execute(trx);
    const k = this.keys;
    if (k.key.length > 0)
      await sql`insert into blocking_keys (key, record_id)
        select * from unnest(${k.key}::text[], ${k.record}::uuid[]) on conflict do nothing`.execute(trx);
    const c = this.cases;
    if (c.id.length > 0)
      await sql`insert into review_cases (id, record_id, kind, status, score, proposal_key)
        select id, r, kind, 'open', s, p
        from unnest(${c.id}::uuid[], ${c.record}::uuid[], ${c.kind}::text[], ${c.score}::float8[], ${c.proposal}::text[]) as v(id, r, kind, s, p)`.execute(
        trx,
      );
    const cc = this.caseCandidates;
    if (cc.caseId.length > 0)
      await sql`insert into review_case_candidates (case_id, golden_id, score, explanation)
        select c, g, s, e::jsonb from unnest(${cc.caseId}::uuid[], ${cc.golden}::uuid[], ${cc.score}::float8[], ${cc.explanation}::text[]) as v(c, g, s, e)`.execute(
        trx,
      );
    if (this.audit.length > 0) {
      const a = this.audit;
      await sql`insert into audit_log (actor, action, entity_type, entity_id, record_id, before, after)
        select actor, action, t, e, r, b::jsonb, af::jsonb
        from unnest(${a.map((e) => e.actor)}::text[], ${a.map((e) => e.action)}::text[], ${a.map((e) => e.entity_type)}::text[],
          ${a.map((e) => e.entity_id)}::text[], ${a.map((e) => e.record_id ?? null)}::uuid[],
          ${a.map((e) => json(e.before))}::text[], ${a.map((e) => json(e.after))}::text[])
          with ordinality as v(actor, action, t, e, r, b, af, i)
        order by i`.execute(trx);
    }
    const r = this.records;
    if (r.id.length > 0)
      await sql`update records as rec set
          status = v.status, normalised = v.normalised::jsonb, explanation = v.explanation::jsonb,
          decision_rule = v.rule, model_version = ${modelVersion}, errors = v.errors::jsonb,
          quality = v.quality::jsonb, decided_at = clock_timestamp()
        from unnest(${r.id}::uuid[], ${r.status}::text[], ${r.normalised}::text[], ${r.explanation}::text[],
          ${r.rule}::text[], ${r.errors}::text[], ${r.quality}::text[]) as v(id, status, normalised, explanation, rule, errors, quality)
        where rec.id = v.id`.execute(trx);
  }
}
