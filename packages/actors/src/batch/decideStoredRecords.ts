/**
 * `nexus dedupe` as a batch job (docs/decisions/0045-dedupe-as-a-batch-job.md): the records of
 * these batches, already stored, are decided in id order (file order: ids are time-ordered and
 * were given in file order) by the stream's rules, with the register held in memory
 * (FileOrderRegister) instead of read back per record, and written a page at a time in one
 * transaction of set-based statements (BatchWrites). What each record goes through is what
 * decideRecordMessage does on one partition: parse the stored payload, normalise, enrich,
 * blocking keys, candidates, decideRecord, then the same rows (golden record, member, audit
 * entries, review case, merge proposal, blocking keys, the record's decision).
 *
 * Only for a database this run owns and that held no golden record before (the register starts
 * empty), and records without a face image (no Tech5 here): the caller makes sure of it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { parseCanonicalRecord, type CanonicalRecord } from '@nexus/schema';
import type { Db } from '../db/database';
import { noEnrichment, type Enricher } from '../enrichment';
import { blockingKeys, decideRecord, normaliseRecord, type Decision } from '@nexus/matching';
import type { ActiveModel } from '../pipeline/activeModel';
import { ENGINE_ACTOR } from '../pipeline/audit';
import { fieldQuality } from '../pipeline/fieldQuality';
import { proposalCandidates, proposalKey, proposalOpened } from '../pipeline/mergeProposals';
import { reviewCandidatesOf, reviewOpenedAudit } from '../pipeline/decisionRows';
import { foundTally, joinTally, newGoldenId, type GoldenTally } from '../goldenRecords';
import { BatchWrites } from '../pipeline/batch/batchWrites';
import { FileOrderRegister } from './fileOrderRegister';

/** Records decided and written per transaction. */
export const BATCH_PAGE = 5_000;

export interface BatchDecideOptions {
  model: ActiveModel;
  defaultCountry?: string;
  enrichment?: Enricher;
  /** Records per page (default BATCH_PAGE). */
  pageSize?: number;
  /** After each page is committed: records decided so far. */
  onProgress?: (decided: number) => void;
}

export async function decideStoredRecords(
  db: Db,
  batchIds: readonly string[],
  options: BatchDecideOptions,
): Promise<number> {
  const { model } = options;
  const enrichment = options.enrichment ?? noEnrichment;
  const register = new FileOrderRegister();
  const golden = new Map<string, GoldenTally>();
  const proposals = new Set<string>();
  const registered = (id: string): GoldenTally => {
    const g = golden.get(id);
    if (g === undefined) throw new Error(`golden record ${id} is not in this run's register`);
    return g;
  };
  let linkClock = 0;
  let decided = 0;
  let writing: Promise<void> = Promise.resolve();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // One read per page: the stored records not yet decided, in id (file) order.
    const page = await sql<{ id: string; source: string; payload: unknown }>`
      select id, source, payload from records
      where batch_id = any(${[...batchIds]}::uuid[]) and id > ${after}::uuid and status in ('received', 'relayed')
      order by id limit ${options.pageSize ?? BATCH_PAGE}`.execute(db);
    if (page.rows.length === 0) break;
    const writes = new BatchWrites();
    // Golden records this page founds (inserted) and links per golden record (stored ones updated).
    const founded = new Set<string>();
    const links = new Map<string, number>();
    for (const [ord, row] of page.rows.entries()) {
      const parsed = parseCanonicalRecord(row.payload, { source: row.source });
      if (!parsed.ok) {
        writes.rejected.push({
          id: row.id,
          decision_rule: 'invalid_record',
          errors: parsed.errors,
          explanation: null,
          ord,
        });
        continue;
      }
      const plain = normaliseRecord(parsed.record, { defaultCountry: options.defaultCountry });
      const enriched = await enrichment.enrich(parsed.record, plain);
      const normalised = enriched.normalised;
      const keys = blockingKeys(normalised);
      const decision = decideRecord(
        normalised,
        register.candidates(keys),
        model.params,
        model.policy,
        model.tf,
      );
      const linkedAt = new Date(++linkClock);
      const goldenId = plan(row.id, parsed.record, decision, linkedAt);
      register.addDecided(row.id, keys, normalised, goldenId);
      for (const key of new Set(keys)) writes.blockingKeys.push({ record_id: row.id, key });
      writes.decided.push({
        id: row.id,
        status: decision.kind === 'new' ? 'new' : decision.kind === 'link' ? 'linked' : 'review',
        decision_rule: decision.explanation.rule,
        model_version: model.version,
        normalised,
        explanation: {
          ...decision.explanation,
          liveness: null,
          ...(enriched.contributions.length > 0 ? { enrichment: enriched.contributions } : {}),
        },
        errors: parsed.warnings.length > 0 ? parsed.warnings : null,
        quality: fieldQuality(parsed.record, normalised),
        ord,
      });

      /** The rows of the decision, as goldenRecords/createAndLink.ts and decideRecordMessage write them. */
      function plan(recordId: string, record: CanonicalRecord, d: Decision, at: Date): string | null {
        switch (d.kind) {
          case 'new': {
            const id = newGoldenId();
            const { tally, entry } = foundTally(id, recordId, record, ENGINE_ACTOR, at);
            golden.set(id, tally);
            founded.add(id);
            writes.members.push({
              record_id: recordId,
              golden_id: id,
              precedence: 'primary',
              link_score: null,
            });
            writes.audit.push(entry);
            return id;
          }
          case 'link': {
            const g = registered(d.goldenId);
            links.set(d.goldenId, (links.get(d.goldenId) ?? 0) + 1);
            writes.members.push({
              record_id: recordId,
              golden_id: d.goldenId,
              precedence: 'secondary',
              link_score: d.score,
            });
            writes.audit.push(joinTally(g, d.goldenId, recordId, record, d.score, ENGINE_ACTOR, at).entry);
            if (d.mergeProposal && !proposals.has(proposalKey(d.mergeProposal.goldenIds))) {
              const key = proposalKey(d.mergeProposal.goldenIds);
              proposals.add(key);
              const caseId = randomUUID();
              writes.reviewCases.push({
                id: caseId,
                record_id: null,
                kind: 'merge_proposal',
                score: d.mergeProposal.score,
                proposal_key: key,
              });
              for (const c of proposalCandidates(recordId, d.mergeProposal, d.explanation.candidates))
                writes.reviewCandidates.push({
                  case_id: caseId,
                  golden_id: c.goldenId,
                  score: c.score,
                  explanation: c.explanation,
                });
              writes.audit.push({ ...proposalOpened(recordId, d.mergeProposal), entity_id: caseId });
            }
            return d.goldenId;
          }
          case 'review': {
            const caseId = randomUUID();
            writes.reviewCases.push({ id: caseId, record_id: recordId, kind: d.reviewKind, score: d.score });
            for (const c of reviewCandidatesOf(d))
              writes.reviewCandidates.push({
                case_id: caseId,
                golden_id: c.goldenId,
                score: c.score,
                explanation: c.explanation,
              });
            writes.audit.push(reviewOpenedAudit(caseId, recordId, d));
            return null;
          }
        }
      }
    }
    for (const id of founded) {
      const g = registered(id);
      writes.goldenInserts.push({
        id,
        best: g.best,
        member_count: g.members.length,
        version: g.members.length,
      });
    }
    for (const [id, n] of links) {
      if (founded.has(id)) continue;
      const g = registered(id);
      writes.goldenUpdates.push({ id, best: g.best, member_count: g.members.length, links: n });
    }
    // Postgres writes this page while the next is decided (the decisions read only memory);
    // pages are written one after another, so a golden record is inserted before it is updated.
    await writing;
    options.onProgress?.(decided);
    writing = db.transaction().execute((trx) => writes.execute(trx));
    writing.catch(() => undefined); // awaited (and thrown) before the next page or the end
    decided += page.rows.length;
    after = page.rows[page.rows.length - 1]?.id ?? after;
  }
  await writing;
  options.onProgress?.(decided);
  await sql`update batches set status = 'completed', completed_at = now(), updated_at = now()
    where id = any(${[...batchIds]}::uuid[]) and status in ('received', 'processing')`.execute(db);
  return decided;
}
