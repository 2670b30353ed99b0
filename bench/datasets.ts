import fs from 'node:fs';
import path from 'node:path';

export interface LabelledDataset {
  name: string;
  files: string[];
  map: string;
  source: string;
  truth: string;
  /** Splink's published pairwise F1 at its default threshold (best threshold), for the table. */
  splink: string;
  goal?: number;
  /**
   * Also decided in N seeded shuffled arrival orders (bench:accuracy --orders=N): on a small set
   * the order alone moves F1 by about as much as defaults and trained differ.
   */
  orders?: boolean;
}

const FEBRL = 'rec_id=external_id,surname=family_name,address_1=street,suburb=locality';
const SSN = ',soc_sec_id=national_id';
// Without soc_sec_id the column is dropped (--map col=-).
const NO_SSN = ',soc_sec_id=-';

export function sharedData(): string {
  const dir = process.env.NEXUS_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../shared/data');
  if (!fs.existsSync(dir)) throw new Error(`labelled data not found at ${dir}: set NEXUS_SHARED_DATA`);
  return dir;
}

export function labelledDatasets(): LabelledDataset[] {
  const d = sharedData();
  const febrl = (n: string) => path.join(d, 'febrl', `dataset${n}.csv`);
  const truth = (n: string) => path.join(d, 'truth', `${n}_clusters.csv`);
  const sets: LabelledDataset[] = [];
  for (const [n, splink, goalWith, goalWithout] of [
    ['1', '-', undefined, undefined],
    ['2', '-', undefined, undefined],
    ['3', '0.9929 (0.9954)', 0.996, 0.985],
  ] as const) {
    sets.push({
      name: `FEBRL ${n} with soc_sec_id`,
      files: [febrl(n)],
      map: FEBRL + SSN,
      source: `febrl${n}`,
      truth: truth(`febrl${n}`),
      splink,
      goal: goalWith,
    });
    sets.push({
      name: `FEBRL ${n} without soc_sec_id`,
      files: [febrl(n)],
      map: FEBRL + NO_SSN,
      source: `febrl${n}`,
      truth: truth(`febrl${n}`),
      splink: '-',
      goal: goalWithout,
    });
  }
  const four = [febrl('4a'), febrl('4b')];
  sets.push({
    name: 'FEBRL 4 pooled with soc_sec_id',
    files: four,
    map: FEBRL + SSN,
    source: 'febrl4',
    truth: truth('febrl4_ab'),
    splink: '0.9992 (0.9998)',
    goal: 0.999,
  });
  sets.push({
    name: 'FEBRL 4 pooled without soc_sec_id',
    files: four,
    map: FEBRL + NO_SSN,
    source: 'febrl4',
    truth: truth('febrl4_ab'),
    splink: '-',
  });
  sets.push({
    name: 'fake_1000',
    files: [path.join(d, 'splink', 'fake_1000.csv')],
    // The `cluster` column is the truth: renamed away so it can never reach the matcher.
    map: 'unique_id=external_id,first_name=given_name,surname=family_name,dob=date_of_birth,cluster=-',
    source: 'fake_1000',
    truth: truth('splink_fake_1000'),
    splink: '0.806 (0.862)',
    goal: 0.93,
    orders: true,
  });
  // Canonical columns already; given name, family name and date of birth only (German names).
  sets.push({
    name: 'rldata500',
    files: [path.join(d, 'rldata', 'rldata500.csv')],
    map: '',
    source: 'rldata500',
    truth: truth('rldata500'),
    splink: '-',
    goal: 0.97,
  });
  // Historical people with heavy corruption: titles in names, full names in many forms.
  sets.push({
    name: 'historical_dev',
    files: [path.join(d, 'splink', 'historical_dev.csv')],
    map: '',
    source: 'historical_dev',
    truth: truth('historical_dev'),
    splink: '0.884 (0.923) on all 50k',
    goal: 0.95,
  });
  return sets;
}

/** The set's first file: the one its name and its truth file go by. */
export function firstFile(set: LabelledDataset): string {
  const [file] = set.files;
  if (file === undefined) throw new Error(`the labelled set ${set.name} has no files`);
  return file;
}

export function readTruth(file: string): Map<string, string> {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
  return new Map(
    lines.map((l) => {
      const [record, entity] = l.split(',').map((s) => s.trim());
      if (record === undefined || entity === undefined)
        throw new Error(`${file}: no record,entity in "${l}"`);
      return [record, entity] as const;
    }),
  );
}
