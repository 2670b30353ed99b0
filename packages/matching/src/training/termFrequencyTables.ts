/**
 * Term frequencies of the register, to be carried in a trained model: for each term-frequency
 * field, the shares of its most common values and one share standing for all the others.
 */
import type { ComparedField, TermFrequencyTable } from '../model';
import type { NormalisedRecord } from '../normaliseRecord';
import { TF_FIELDS, termFrequencyValue } from '../termFrequencies';

export interface TermFrequencyOptions {
  /** Most common values kept per field. */
  topK: number;
  /** A value seen fewer times than this in the sample is not listed (its share is noise). */
  minCount: number;
  /** Fields held by fewer records than this get no table: the model's u is used. */
  minRecords: number;
}

export const DEFAULT_TF_OPTIONS: TermFrequencyOptions = { topK: 1000, minCount: 2, minRecords: 100 };

export function termFrequencyTables(
  records: Iterable<NormalisedRecord>,
  options: TermFrequencyOptions = DEFAULT_TF_OPTIONS,
): Partial<Record<ComparedField, TermFrequencyTable>> {
  const counts = new Map<ComparedField, Map<string, number>>(TF_FIELDS.map((f) => [f, new Map()]));
  for (const record of records) {
    for (const field of TF_FIELDS) {
      const value = termFrequencyValue(field, record);
      if (value === undefined) continue;
      const values = counts.get(field);
      values?.set(value, (values.get(value) ?? 0) + 1);
    }
  }
  const tables: Partial<Record<ComparedField, TermFrequencyTable>> = {};
  for (const [field, values] of counts) {
    const table = tableOf(values, options);
    if (table !== undefined) tables[field] = table;
  }
  return tables;
}

function tableOf(values: Map<string, number>, options: TermFrequencyOptions): TermFrequencyTable | undefined {
  let total = 0;
  for (const c of values.values()) total += c;
  if (total < options.minRecords) return undefined;
  const sorted = [...values.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = sorted.slice(0, options.topK).filter(([, c]) => c >= options.minCount);
  const table: TermFrequencyTable = { values: {}, other: 1 / total };
  for (const [value, c] of kept) table.values[value] = c / total;
  // The rest, weighted by how often two records agree on each: sum (c/n)^2 / sum (c/n).
  let agreements = 0;
  let held = 0;
  for (const [, c] of sorted.slice(kept.length)) {
    agreements += c * c;
    held += c;
  }
  if (held > 0) table.other = agreements / (held * total);
  return table;
}
