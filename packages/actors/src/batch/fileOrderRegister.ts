/**
 * The register as the stream's candidate search sees it, held in memory by a batch job that owns
 * its database (docs/decisions/0045-dedupe-as-a-batch-job.md). It answers the same question as
 * pipeline/candidates.ts asks Postgres, by the same rules, so a record decided here meets the
 * candidates it would have met on the stream deciding the file in order on one partition:
 * - per key, the first MAX_RECORDS_PER_KEY records holding it (the index on (key, record_id)
 *   hands out the oldest ids first; ids are time-ordered, so the first decided), whether or not
 *   they joined a golden record;
 * - their golden records, most shared keys first, then the lower id, at most
 *   MAX_CANDIDATE_GOLDEN_RECORDS;
 * - each golden record's members in the order they were linked, compared by their stored
 *   normalised form (a JSON copy, as the stream reads it back).
 */
import { MAX_CANDIDATE_GOLDEN_RECORDS, MAX_RECORDS_PER_KEY } from '../pipeline/candidates';
import type { CandidateGolden, NormalisedRecord } from '@nexus/matching';

interface Golden {
  id: string;
  members: CandidateGolden['members'];
}

export class FileOrderRegister {
  /** key -> the first MAX_RECORDS_PER_KEY decided records holding it (their golden, or none). */
  private readonly holders = new Map<string, Array<Golden | undefined>>();
  private readonly golden = new Map<string, Golden>();

  /** The candidates of a record with these blocking keys, as findCandidates reads them. */
  candidates(keys: readonly string[]): CandidateGolden[] {
    const shared = new Map<Golden, number>();
    for (const key of new Set(keys)) {
      const seen = new Set<Golden>();
      for (const g of this.holders.get(key) ?? []) if (g !== undefined) seen.add(g);
      for (const g of seen) shared.set(g, (shared.get(g) ?? 0) + 1);
    }
    return [...shared]
      .sort(([a, n], [b, m]) => m - n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, MAX_CANDIDATE_GOLDEN_RECORDS)
      .map(([g]) => ({ goldenId: g.id, members: g.members }));
  }

  /** A decided record: its keys now find it, and through it its golden record (if any). */
  addDecided(
    recordId: string,
    keys: readonly string[],
    normalised: NormalisedRecord,
    goldenId: string | null,
  ): void {
    let golden: Golden | undefined;
    if (goldenId !== null) {
      golden = this.golden.get(goldenId);
      if (golden === undefined) {
        golden = { id: goldenId, members: [] };
        this.golden.set(goldenId, golden);
      }
      // As read back from the records table: a JSON copy of what was stored.
      golden.members.push({
        recordId,
        normalised: JSON.parse(JSON.stringify(normalised)) as NormalisedRecord,
      });
    }
    for (const key of new Set(keys)) {
      const list = this.holders.get(key);
      if (list === undefined) this.holders.set(key, [golden]);
      else if (list.length < MAX_RECORDS_PER_KEY) list.push(golden);
    }
  }
}
