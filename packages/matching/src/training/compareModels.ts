/** Old against new m and u, level by level, as `nexus train` prints them. */
import { COMPARED_FIELDS, log2BayesFactor, type MatchModel } from '../model';

export interface LevelChange {
  field: string;
  level: string;
  oldM: number;
  newM: number;
  oldU: number;
  newU: number;
  oldWeight: number;
  newWeight: number;
}

export function compareModels(before: MatchModel, after: MatchModel): LevelChange[] {
  const rows: LevelChange[] = [];
  for (const field of COMPARED_FIELDS) {
    const levels = after.fields[field]?.levels ?? [];
    for (const level of levels) {
      const old = before.fields[field]?.levels.find((l) => l.level === level.level);
      const oldM = old?.m ?? Number.NaN;
      const oldU = old?.u ?? Number.NaN;
      rows.push({
        field,
        level: level.level,
        oldM,
        newM: level.m,
        oldU,
        newU: level.u,
        oldWeight: log2BayesFactor(oldM, oldU),
        newWeight: log2BayesFactor(level.m, level.u),
      });
    }
  }
  return rows;
}

const num = (x: number) => (Number.isNaN(x) ? '-' : x >= 0.001 ? x.toFixed(4) : x.toExponential(1));
const weight = (x: number) => (Number.isNaN(x) ? '-' : (x >= 0 ? '+' : '') + x.toFixed(1));

/** A fixed-width text table: field, level, m old -> new, u old -> new, weight old -> new. */
export function formatModelComparison(before: MatchModel, after: MatchModel): string {
  const header = ['field', 'level', 'm old', 'm new', 'u old', 'u new', 'weight old', 'weight new'];
  const rows = compareModels(before, after).map((r) => [
    r.field,
    r.level,
    num(r.oldM),
    num(r.newM),
    num(r.oldU),
    num(r.newU),
    weight(r.oldWeight),
    weight(r.newWeight),
  ]);
  const prior = [
    'prior',
    'match probability',
    num(before.matchProbability),
    num(after.matchProbability),
    '',
    '',
    '',
    '',
  ];
  const all = [header, ...rows, prior];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]?.length ?? 0)));
  return all
    .map((row) =>
      row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n');
}
