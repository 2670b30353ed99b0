import { sql } from 'kysely';
import { canonicalRecordSchema, type CanonicalRecord } from '@nexus/schema';
import type { Db } from '../../db/database';
import { timeOrderedId } from '../../db/timeOrderedId';
import { bestFields, changedBestFields, ENGINE_ACTOR } from '../audit';
import { survivingValues, type SurvivorMember } from '../survivorship';
import type { BatchWrites } from './batchWrites';

/**
 * Something changed under the batch between its candidate read and its golden record locks (a
 * reviewer merged, an erasure removed a member). Nothing is written: the worker decides the same
 * records one at a time, where each such case has its precise answer (decideRecordMessage.ts).
 */
export class BatchConflictError extends Error {}

interface GoldenState {
  best: Record<string, unknown>;
  members: SurvivorMember[];
  memberIds: Set<string>;
  created: boolean;
  links: number;
}

type Step =
  | { kind: 'new'; goldenId: string; recordId: string; record: CanonicalRecord }
  | {
      kind: 'link';
      goldenId: string;
      recordId: string;
      record: CanonicalRecord;
      matched: string;
      score: number;
    };

/**
 * The golden record changes of a micro-batch, in decision order: new golden records get their
 * ids at once (later records of the batch may link to them); links to stored golden records are
 * applied after ONE statement has locked them all (sorted by id, so batches never deadlock on
 * them) and one has read their members. Each step is audited as the one-record path audits it
 * (pipeline/goldenRecords.ts), and each golden record is written once, with its final values.
 */
export class GoldenLedger {
  private readonly steps: Step[] = [];

  create(recordId: string, record: CanonicalRecord): string {
    const goldenId = timeOrderedId();
    this.steps.push({ kind: 'new', goldenId, recordId, record });
    return goldenId;
  }

  link(goldenId: string, recordId: string, record: CanonicalRecord, matched: string, score: number): void {
    this.steps.push({ kind: 'link', goldenId, recordId, record, matched, score });
  }

  async apply(trx: Db, writes: BatchWrites): Promise<void> {
    const created = new Set(this.steps.filter((s) => s.kind === 'new').map((s) => s.goldenId));
    const stored = [...new Set(this.steps.map((s) => s.goldenId).filter((g) => !created.has(g)))].sort();
    const state = await lockStored(trx, stored);
    for (const step of this.steps) {
      const linkedAt = new Date();
      if (step.kind === 'new') {
        const best = survivingValues([{ record: step.record, linkedAt }]);
        state.set(step.goldenId, {
          best,
          members: [{ record: step.record, linkedAt }],
          memberIds: new Set([step.recordId]),
          created: true,
          links: 0,
        });
        writes.members.push({
          record_id: step.recordId,
          golden_id: step.goldenId,
          precedence: 'primary',
          link_score: null,
        });
        writes.audit.push({
          actor: ENGINE_ACTOR,
          action: 'golden_record.created',
          entity_type: 'golden_record',
          entity_id: step.goldenId,
          record_id: step.recordId,
          before: null,
          after: { ...bestFields(best), members: [step.recordId] },
        });
        continue;
      }
      const golden = state.get(step.goldenId);
      // The golden record or the member matched changed after the candidates were read.
      if (!golden || !golden.memberIds.has(step.matched)) {
        throw new BatchConflictError(`golden record ${step.goldenId} changed while the batch was decided`);
      }
      const before = golden.best;
      golden.members.push({ record: step.record, linkedAt });
      golden.memberIds.add(step.recordId);
      golden.best = survivingValues(golden.members);
      golden.links++;
      writes.members.push({
        record_id: step.recordId,
        golden_id: step.goldenId,
        precedence: 'secondary',
        link_score: step.score,
      });
      writes.audit.push({
        actor: ENGINE_ACTOR,
        action: 'golden_record.linked',
        entity_type: 'golden_record',
        entity_id: step.goldenId,
        record_id: step.recordId,
        before: { ...bestFields(before), member_count: golden.members.length - 1 },
        after: {
          ...changedBestFields(before, golden.best),
          member_count: golden.members.length,
          linked: step.recordId,
          score: step.score,
        },
      });
    }
    for (const [id, g] of state) {
      if (g.created) {
        writes.goldenInserts.push({ id, best: g.best, member_count: g.members.length, version: 1 + g.links });
      } else if (g.links > 0) {
        writes.goldenUpdates.push({ id, best: g.best, member_count: g.members.length, links: g.links });
      }
    }
  }
}

/** Locks the stored golden records the batch links to and reads their members, in two statements. */
async function lockStored(trx: Db, ids: readonly string[]): Promise<Map<string, GoldenState>> {
  const state = new Map<string, GoldenState>();
  if (ids.length === 0) return state;
  const { rows: locked } = await sql<{ id: string; best: Record<string, unknown>; status: string }>`
    select id, best, status from golden_records where id = any(${[...ids]}::uuid[]) order by id for update`.execute(
    trx,
  );
  // Merged or erased since the candidate read: the one-record path follows or refuses it.
  const active = locked.filter((g) => g.status === 'active');
  if (active.length !== ids.length) {
    throw new BatchConflictError('a golden record the batch links to is no longer active');
  }
  for (const g of active) {
    state.set(g.id, { best: g.best, members: [], memberIds: new Set(), created: false, links: 0 });
  }
  const { rows: members } = await sql<{
    golden_id: string;
    record_id: string;
    payload: Record<string, unknown>;
    linked_at: Date;
  }>`
    select g.id as golden_id, m.record_id, r.payload, m.linked_at
    from unnest(${[...ids]}::uuid[]) as g(id)
    cross join lateral (
      select gm.record_id, gm.linked_at from golden_record_members gm where gm.golden_id = g.id
    ) as m
    cross join lateral (select rr.payload from records rr where rr.id = m.record_id) as r`.execute(trx);
  for (const m of members) {
    const golden = state.get(m.golden_id);
    if (!golden) continue;
    golden.members.push({ record: canonicalRecordSchema.parse(m.payload), linkedAt: m.linked_at });
    golden.memberIds.add(m.record_id);
  }
  return state;
}
