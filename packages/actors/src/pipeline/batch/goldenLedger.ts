import type { CanonicalRecord } from '@nexus/schema';
import type { Db } from '../../db/database';
import {
  foundTally,
  joinTally,
  lockGoldenRows,
  membersOf,
  newGoldenId,
  survivorOf,
  type GoldenTally,
} from '../../goldenRecords';
import { ENGINE_ACTOR } from '../audit';
import type { BatchWrites } from './batchWrites';

/**
 * Something changed under the batch between its candidate read and its golden record locks (a
 * reviewer merged, an erasure removed a member). Nothing is written: the worker decides the same
 * records one at a time, where each such case has its precise answer (decideRecordMessage.ts).
 */
export class BatchConflictError extends Error {}

interface GoldenState extends GoldenTally {
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
 * (goldenRecords/goldenTally.ts), and each golden record is written once, with its final values.
 */
export class GoldenLedger {
  private readonly steps: Step[] = [];

  create(recordId: string, record: CanonicalRecord): string {
    const goldenId = newGoldenId();
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
        const { tally, entry } = foundTally(
          step.goldenId,
          step.recordId,
          step.record,
          ENGINE_ACTOR,
          linkedAt,
        );
        state.set(step.goldenId, { ...tally, memberIds: new Set([step.recordId]), created: true, links: 0 });
        writes.members.push({
          record_id: step.recordId,
          golden_id: step.goldenId,
          precedence: 'primary',
          link_score: null,
        });
        writes.audit.push(entry);
        continue;
      }
      const golden = state.get(step.goldenId);
      // The golden record or the member matched changed after the candidates were read.
      if (!golden || !golden.memberIds.has(step.matched)) {
        throw new BatchConflictError(`golden record ${step.goldenId} changed while the batch was decided`);
      }
      const { entry } = joinTally(
        golden,
        step.goldenId,
        step.recordId,
        step.record,
        step.score,
        ENGINE_ACTOR,
        linkedAt,
      );
      golden.memberIds.add(step.recordId);
      golden.links++;
      writes.members.push({
        record_id: step.recordId,
        golden_id: step.goldenId,
        precedence: 'secondary',
        link_score: step.score,
      });
      writes.audit.push(entry);
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

/** Locks the stored golden records the batch links to (one statement) and reads their members (one). */
async function lockStored(trx: Db, ids: readonly string[]): Promise<Map<string, GoldenState>> {
  const state = new Map<string, GoldenState>();
  if (ids.length === 0) return state;
  const locked = await lockGoldenRows(trx, ids);
  // Merged or erased since the candidate read: the one-record path follows or refuses it.
  const active = [...locked.values()].filter((g) => g.status === 'active');
  if (active.length !== ids.length) {
    throw new BatchConflictError('a golden record the batch links to is no longer active');
  }
  for (const g of active) {
    state.set(g.id, { best: g.best, members: [], memberIds: new Set(), created: false, links: 0 });
  }
  for (const m of await membersOf(trx, ids)) {
    const golden = state.get(m.golden_id);
    if (!golden) continue;
    golden.members.push(survivorOf(m));
    golden.memberIds.add(m.record_id);
  }
  return state;
}
