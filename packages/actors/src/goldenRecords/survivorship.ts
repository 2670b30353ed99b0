import { CANONICAL_FIELDS, type CanonicalRecord } from '@nexus/schema';

/** Fields a golden record never carries as a best value: identity of the source row, not the person. */
const NOT_SURVIVING = new Set(['external_id', 'source', 'face_image']);

export interface SurvivorMember {
  record: CanonicalRecord;
  /** Oldest first: the primary member wins ties. */
  linkedAt: Date;
}

/**
 * Best value per field: the value most members agree on; on a tie, the one of the oldest member
 * (the primary), whose data has stood longest. Recomputed on every link, merge and split.
 */
export function survivingValues(members: readonly SurvivorMember[]): Record<string, string> {
  const ordered = [...members].sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime());
  const best: Record<string, string> = {};
  for (const field of CANONICAL_FIELDS) {
    if (NOT_SURVIVING.has(field)) continue;
    const votes = new Map<string, { count: number; first: number }>();
    ordered.forEach((m, index) => {
      const value = m.record[field];
      if (value === undefined || value === '') return;
      const v = votes.get(value);
      if (v) v.count++;
      else votes.set(value, { count: 1, first: index });
    });
    let winner: string | undefined;
    let top = { count: 0, first: Infinity };
    for (const [value, v] of votes) {
      if (v.count > top.count || (v.count === top.count && v.first < top.first)) {
        winner = value;
        top = v;
      }
    }
    if (winner !== undefined) best[field] = winner;
  }
  return best;
}
