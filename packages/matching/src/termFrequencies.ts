/**
 * Term frequencies built in memory from a list of normalised records: the share of records,
 * among those where the field is present, that have a given value. The engine may back the same
 * interface with a database table; the evaluator and tests use this one.
 */
import { isoDate } from './dates';
import type { ComparedField, MatchModel, TermFrequencies, TermFrequencyTable } from './model';
import type { NormalisedRecord } from './normaliseRecord';

/**
 * Fields whose exact agreement is worth less on a common value ("smith", "london") and more on a
 * rare one. Identifiers are left out: their model u already describes a unique value, which a
 * frequency counted in a sample can only overstate.
 */
export const TF_FIELDS: readonly ComparedField[] = [
  'given_name',
  'middle_name',
  'family_name',
  'date_of_birth',
  'street_number',
  'street',
  'locality',
  'city',
  'postcode',
  'birth_place',
];

const PICK: Partial<Record<ComparedField, (r: NormalisedRecord) => string | undefined>> = {
  given_name: (r) => r.given,
  family_name: (r) => r.family,
  // 1900-01-01 or 1st January of any year (a year written as a date) says less than 1957-03-14.
  date_of_birth: (r) => (r.dob === undefined ? undefined : (isoDate(r.dob) ?? r.dob.digits)),
  street_number: (r) => r.street_number,
  street: (r) => r.street,
  locality: (r) => r.locality,
  city: (r) => r.city,
  postcode: (r) => r.postcode,
  birth_place: (r) => r.birth_place,
  middle_name: (r) => r.middle,
};

/** The value of a term-frequency field that an exact agreement is about, if the record has one. */
export function termFrequencyValue(field: ComparedField, record: NormalisedRecord): string | undefined {
  return PICK[field]?.(record);
}

/** Term frequencies carried in a trained model (`model.termFrequencies`), as the engine uses them. */
export class ModelTermFrequencies implements TermFrequencies {
  constructor(private readonly tables: Partial<Record<ComparedField, TermFrequencyTable>>) {}

  frequency(field: string, value: string): number | undefined {
    const table = this.tables[field as ComparedField];
    if (table === undefined) return undefined;
    return Object.hasOwn(table.values, value) ? table.values[value] : table.other;
  }
}

/** The model's own term frequencies, or none (the shipped defaults carry none). */
export function termFrequenciesOf(model: MatchModel): TermFrequencies | undefined {
  const tables = model.termFrequencies;
  return tables === undefined || Object.keys(tables).length === 0
    ? undefined
    : new ModelTermFrequencies(tables);
}

export class InMemoryTermFrequencies implements TermFrequencies {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();

  /** Below this many records with the field, shares are too noisy: the model's u is used. */
  constructor(private readonly minimumRecords = 100) {}

  static fromRecords(records: Iterable<NormalisedRecord>, minimumRecords?: number): InMemoryTermFrequencies {
    const tf = new InMemoryTermFrequencies(minimumRecords);
    for (const r of records) tf.add(r);
    return tf;
  }

  add(record: NormalisedRecord): void {
    for (const field of TF_FIELDS) {
      const value = PICK[field]?.(record);
      if (value === undefined) continue;
      let values = this.counts.get(field);
      if (values === undefined) {
        values = new Map();
        this.counts.set(field, values);
      }
      values.set(value, (values.get(value) ?? 0) + 1);
      this.totals.set(field, (this.totals.get(field) ?? 0) + 1);
    }
  }

  frequency(field: string, value: string): number | undefined {
    const total = this.totals.get(field) ?? 0;
    if (total < this.minimumRecords) return undefined;
    const count = this.counts.get(field)?.get(value) ?? 0;
    return Math.max(count, 1) / total;
  }
}
