/**
 * Pairs of records that share a blocking key, from records held in memory (the evaluator and the
 * tests; `nexus train` asks the blocking_keys table the same question). A key held by more than
 * `maxKeyRecords` records is skipped: it adds many pairs and few matches.
 */
import { blockingKeys } from '../blockingKeys';
import type { NormalisedRecord } from '../normaliseRecord';

export const MAX_KEY_RECORDS = 200;

export function blockedPairIndexes(
  records: readonly NormalisedRecord[],
  maxKeyRecords = MAX_KEY_RECORDS,
): Array<[number, number]> {
  const byKey = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of blockingKeys(r)) {
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [i]);
      else list.push(i);
    }
  });
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const list of byKey.values()) {
    if (list.length < 2 || list.length > maxKeyRecords) continue;
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const i = list[a] ?? 0;
        const j = list[b] ?? 0;
        const key = i * records.length + j;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([i, j]);
      }
    }
  }
  return out;
}
