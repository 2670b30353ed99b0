import type { CanonicalRecord } from '@nexus/schema';
import { bestFields, changedBestFields, type AuditEntry } from '../pipeline/audit';
import { survivingValues, type SurvivorMember } from './survivorship';

/**
 * A golden record as a decision sees it while it plans a change: its best values and members.
 * The engine, the batched stream path and the dedupe batch job all found and grow golden records
 * through these two functions, so survivorship and the audit entries are the same on every path.
 */
export interface GoldenTally {
  best: Record<string, unknown>;
  members: SurvivorMember[];
}

/** A golden record founded by one record, and its `golden_record.created` entry. */
export function foundTally(
  goldenId: string,
  recordId: string,
  record: CanonicalRecord,
  actor: string,
  linkedAt = new Date(),
): { tally: GoldenTally & { best: Record<string, string> }; entry: AuditEntry } {
  const members = [{ record, linkedAt }];
  const best = survivingValues(members);
  return {
    tally: { best, members },
    entry: {
      actor,
      action: 'golden_record.created',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: recordId,
      before: null,
      after: { ...bestFields(best), members: [recordId] },
    },
  };
}

/**
 * The record joins the tally (changed in place: best values recomputed over all members), and its
 * `golden_record.linked` entry.
 */
export function joinTally(
  tally: GoldenTally,
  goldenId: string,
  recordId: string,
  record: CanonicalRecord,
  score: number,
  actor: string,
  linkedAt = new Date(),
): { best: Record<string, string>; entry: AuditEntry } {
  const before = tally.best;
  tally.members.push({ record, linkedAt });
  const best = survivingValues(tally.members);
  tally.best = best;
  return {
    best,
    entry: {
      actor,
      action: 'golden_record.linked',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: recordId,
      before: { ...bestFields(before), member_count: tally.members.length - 1 },
      after: {
        ...changedBestFields(before, best),
        member_count: tally.members.length,
        linked: recordId,
        score,
      },
    },
  };
}
