/**
 * The labelled benchmark data sets of /work/shared/data (see its README) read as canonical
 * records with their true entity, for the offline evaluator. FEBRL values are padded with a
 * space after each comma, so every field is trimmed and read as text (postcodes keep zeros).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CanonicalRecord } from '@nexus/schema';

export interface LabelledRecord {
  record: CanonicalRecord;
  entity: string;
}

export interface LabelledDataSet {
  name: string;
  records: LabelledRecord[];
}

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  return parse<Row>(readFileSync(path, 'utf8'), { columns: true, trim: true, skip_empty_lines: true });
}

function readTruth(dir: string, file: string): Map<string, string> {
  return new Map(readCsv(join(dir, 'truth', file)).map((r) => [r.record_id ?? '', r.entity_id ?? '']));
}

function present(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function febrlRecord(row: Row, source: string, withSsn: boolean): CanonicalRecord {
  const address2 = present(row.address_2);
  return {
    external_id: row.rec_id ?? '',
    source,
    given_name: present(row.given_name),
    family_name: present(row.surname),
    street_number: present(row.street_number),
    street: present(row.address_1),
    locality: present(row.suburb),
    postcode: present(row.postcode),
    state: present(row.state),
    date_of_birth: present(row.date_of_birth),
    national_id: withSsn ? present(row.soc_sec_id) : undefined,
    attributes: address2 === undefined ? {} : { address_2: address2 },
  };
}

function labelled(records: CanonicalRecord[], truth: Map<string, string>): LabelledRecord[] {
  return records.map((record) => {
    const entity = truth.get(record.external_id);
    if (entity === undefined) throw new Error(`no truth for record ${record.external_id}`);
    return { record, entity };
  });
}

function febrl(
  dir: string,
  name: string,
  files: string[],
  truthFile: string,
  withSsn: boolean,
): LabelledDataSet {
  const truth = readTruth(dir, truthFile);
  const rows = files.flatMap((f) =>
    readCsv(join(dir, 'febrl', f)).map((row) => febrlRecord(row, f, withSsn)),
  );
  return { name: `${name} ${withSsn ? 'with' : 'without'} soc_sec_id`, records: labelled(rows, truth) };
}

function fake1000(dir: string): LabelledDataSet {
  const truth = readTruth(dir, 'splink_fake_1000_clusters.csv');
  const rows = readCsv(join(dir, 'splink', 'fake_1000.csv')).map((row): CanonicalRecord => ({
    external_id: row.unique_id ?? '',
    source: 'fake_1000',
    given_name: present(row.first_name),
    family_name: present(row.surname),
    date_of_birth: present(row.dob),
    city: present(row.city),
    email: present(row.email),
    attributes: {},
  }));
  return { name: 'fake_1000', records: labelled(rows, truth) };
}

const CANONICAL_TEXT = [
  'given_name',
  'middle_name',
  'family_name',
  'full_name',
  'date_of_birth',
  'gender',
  'street_number',
  'street',
  'locality',
  'city',
  'postcode',
  'state',
  'country',
  'phone',
  'email',
  'national_id',
  'birth_place',
] as const;

/** A file already in canonical columns (rldata500, historical_dev); other columns are attributes. */
function canonical(dir: string, name: string, file: string, truthFile: string): LabelledDataSet {
  const truth = readTruth(dir, truthFile);
  const rows = readCsv(join(dir, file)).map((row): CanonicalRecord => {
    const record: CanonicalRecord = { external_id: row.external_id ?? '', source: name, attributes: {} };
    for (const field of CANONICAL_TEXT) {
      const value = present(row[field]);
      if (value !== undefined) record[field] = value;
    }
    return record;
  });
  return { name, records: labelled(rows, truth) };
}

/** Every benchmark data set, each FEBRL one with and without its social security number. */
export function loadDataSets(dir: string): LabelledDataSet[] {
  const sets: Array<[string, string[], string]> = [
    ['FEBRL 1', ['dataset1.csv'], 'febrl1_clusters.csv'],
    ['FEBRL 2', ['dataset2.csv'], 'febrl2_clusters.csv'],
    ['FEBRL 3', ['dataset3.csv'], 'febrl3_clusters.csv'],
    ['FEBRL 4', ['dataset4a.csv', 'dataset4b.csv'], 'febrl4_ab_clusters.csv'],
  ];
  const out: LabelledDataSet[] = [];
  for (const [name, files, truth] of sets) {
    out.push(febrl(dir, name, files, truth, true), febrl(dir, name, files, truth, false));
  }
  out.push(fake1000(dir));
  out.push(canonical(dir, 'rldata500', 'rldata/rldata500.csv', 'rldata500_clusters.csv'));
  out.push(canonical(dir, 'historical_dev', 'splink/historical_dev.csv', 'historical_dev_clusters.csv'));
  return out;
}
