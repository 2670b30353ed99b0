/**
 * Writes a generated data set: DIR/records.csv (canonical columns), DIR/faces/<external_id>.png
 * beside it when faces are on (face_image holds the path relative to records.csv), and
 * DIR/truth.csv (external_id,person_id,is_spoof).
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CANONICAL_FIELDS, type CanonicalRecord, required } from '@nexus/schema';
import { syntheticCapture } from '@nexus/tech5-sim';
import type { GeneratedRecordWithFace } from './syntheticFaces';
import type { GeneratedRecord } from './syntheticPeople';

export interface DatasetSummary {
  records: number;
  people: number;
  faces: number;
  spoofs: number;
  files: { records: string; truth: string; faces: string | null };
}

const hasFace = (r: GeneratedRecord): r is GeneratedRecordWithFace => 'face' in r;

export function writeDataset(
  dir: string,
  population: ReadonlyArray<GeneratedRecord | GeneratedRecordWithFace>,
  onProgress: (written: number) => void = () => undefined,
): DatasetSummary {
  fs.mkdirSync(dir, { recursive: true });
  const withFaces = population.some(hasFace);
  const facesDir = path.join(dir, 'faces');
  if (withFaces) fs.mkdirSync(facesDir, { recursive: true });
  const columns = CANONICAL_FIELDS.filter((f) => f !== 'face_image' || withFaces);
  const used = new Set<string>();
  const rows: string[][] = [];
  const truth: string[][] = [];
  let spoofs = 0;
  population.forEach((generated, i) => {
    const record: CanonicalRecord = { ...generated.record };
    if (hasFace(generated)) {
      const file = `${safeName(record.external_id)}.png`;
      const { png } = syntheticCapture(generated.face);
      fs.writeFileSync(path.join(facesDir, file), png);
      record.face_image = `faces/${file}`;
      if (generated.face.spoof) spoofs++;
    }
    for (const c of columns) if (record[c] !== undefined) used.add(c);
    rows.push(columns.map((c) => record[c] ?? ''));
    truth.push([
      record.external_id,
      generated.personId,
      hasFace(generated) && generated.face.spoof ? '1' : '0',
    ]);
    if ((i + 1) % 100 === 0) onProgress(i + 1);
  });
  const kept = columns.map((c, i) => [c, i] as const).filter(([c]) => used.has(c) || c === 'external_id');
  const recordsFile = path.join(dir, 'records.csv');
  const truthFile = path.join(dir, 'truth.csv');
  fs.writeFileSync(
    recordsFile,
    stringify([
      kept.map(([c]) => c),
      ...rows.map((r) => kept.map(([c, i]) => required(r[i], `writeDataset: column ${c} of a row`))),
    ]),
  );
  fs.writeFileSync(truthFile, stringify([['external_id', 'person_id', 'is_spoof'], ...truth]));
  onProgress(population.length);
  return {
    records: population.length,
    people: new Set(population.map((p) => p.personId)).size,
    faces: withFaces ? population.length : 0,
    spoofs,
    files: { records: recordsFile, truth: truthFile, faces: withFaces ? facesDir : null },
  };
}

function safeName(externalId: string): string {
  return externalId.replace(/[^A-Za-z0-9._-]/g, '_');
}
