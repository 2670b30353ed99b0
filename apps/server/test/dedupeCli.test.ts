import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { pairwiseScores } from '@nexus/matching';
import { FEBRL_MAP_WITH_SSN, sharedDataDir } from '../../../test/sharedData';

const run = promisify(execFile);
const NEXUS = path.resolve(import.meta.dirname, '../bin/nexus.mjs');

function tempFile(name: string, content?: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-cli-')), name);
  if (content !== undefined) fs.writeFileSync(file, content);
  return file;
}

function lastJsonLine(stdout: string): Record<string, number> {
  const last = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last) as Record<string, number>;
}

describe('nexus dedupe', () => {
  it('decides FEBRL 3 end to end on a throw-away embedded database: one row per record, counts add up', async () => {
    const input = path.join(sharedDataDir(), 'febrl/dataset3.csv');
    const out = tempFile('clusters.csv');
    const { stdout } = await run(
      process.execPath,
      [NEXUS, 'dedupe', input, '--map', FEBRL_MAP_WITH_SSN, '--out', out],
      {
        env: { ...process.env, DATABASE_URL: '' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const summary = lastJsonLine(stdout);
    const rows = parse<Record<string, string>>(fs.readFileSync(out), { columns: true });
    expect(summary.records).toBe(5000);
    expect(rows).toHaveLength(5000);
    expect(Object.keys(rows[0]!)).toEqual(['source', 'external_id', 'customer_id', 'decision']);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(5000);
    const sum = summary.new! + summary.linked! + summary.review! + summary.rejected! + summary.dead_lettered!;
    expect(sum).toBe(summary.records);
    for (const r of rows) {
      expect(['new', 'linked', 'review', 'rejected', 'dead_lettered']).toContain(r.decision);
      expect(r.customer_id === '').toBe(
        r.decision === 'review' || r.decision === 'rejected' || r.decision === 'dead_lettered',
      );
    }
    const clusters = new Set(rows.filter((r) => r.customer_id).map((r) => r.customer_id));
    expect(clusters.size).toBe(summary.new);
    expect(summary.records_per_second).toBeGreaterThan(0);
    // The model was learned from the file before the first decision, and the summary says so.
    expect(String(summary.model)).toMatch(/^learned from the input \(5000 records/);

    // A regression floor for matching quality (the goal, 0.996, is tracked by bench:accuracy).
    const truth = parse<{ record_id: string; entity_id: string }>(
      fs.readFileSync(path.join(sharedDataDir(), 'truth/febrl3_clusters.csv')),
      { columns: true },
    );
    const cluster = new Map(rows.map((r) => [r.external_id, r.customer_id || undefined]));
    const scores = pairwiseScores(
      truth.map((t) => t.entity_id),
      truth.map((t) => cluster.get(t.record_id)),
    );
    expect(scores.f1).toBeGreaterThan(0.99);
    expect(scores.precision).toBeGreaterThan(0.99);
  }, 240_000);

  it('loads the good rows of a broken file and reports each bad row with its line', async () => {
    const input = tempFile(
      'people.csv',
      [
        'external_id,given_name,family_name,date_of_birth,city',
        'a1,Ann,Lee,1980-02-03,Leeds',
        ',Bob,Smith,1970-01-01,York', // no external_id
        'a3,Cara,Jones,1990-02-31,Hull', // invalid date: kept, with a warning
        'a4,"Dan ""the man""",Brown,1985-05-05', // missing a column: still readable
        'a5,Eve,Stone,1975-07-07,x,extra', // one column too many
        'a1,Ann,Lee,1980-02-03,Leeds', // duplicate external id: processed once
        'a6,,,1961-06-06,Bath', // no name, but a date of birth and a place: decided
        'a7,,,,', // nothing to match on: rejected, and still in the output
        '',
      ].join('\n'),
    );
    const out = tempFile('clusters.csv');
    const { stdout, stderr } = await run(
      process.execPath,
      [NEXUS, 'dedupe', input, '--out', out, '--quiet'],
      {
        env: { ...process.env, DATABASE_URL: '' },
      },
    );
    expect(stderr).toMatch(/people\.csv:3: skipped: .*external_id/);
    expect(stderr).toMatch(/people\.csv:4: warning: date_of_birth .*day 31/);
    const summary = lastJsonLine(stdout);
    const rows = parse<Record<string, string>>(fs.readFileSync(out), { columns: true });
    const ids = rows.map((r) => r.external_id).sort();
    expect(ids).toContain('a1');
    expect(ids).toContain('a3');
    expect(ids.filter((i) => i === 'a1')).toHaveLength(1);
    expect(summary.records).toBe(8);
    // Every input row has an output row (the duplicate is the same record as a1).
    expect(rows).toHaveLength(7);
    const decision = new Map(rows.map((r) => [r.external_id, r.decision]));
    expect(decision.get('a6')).toBe('new');
    expect(decision.get('a7')).toBe('rejected');
    // Rows whose shape is broken (no id, a field too few or too many) are rejected without an id.
    expect(rows.filter((r) => r.external_id === '' && r.decision === 'rejected')).toHaveLength(3);
    expect(String(summary.model)).toMatch(/^defaults .*too few to learn from/);
    expect(
      summary.new! + summary.linked! + summary.review! + summary.rejected! + summary.dead_lettered!,
    ).toBe(
      summary.records! - 1, // the duplicate row is the same record as a1
    );
  }, 120_000);

  it('refuses an empty file and a missing file with a clear message', async () => {
    const empty = tempFile('empty.csv', '');
    const failure = (args: string[]) =>
      run(process.execPath, [NEXUS, 'dedupe', ...args, '--quiet']).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const emptyRun = await failure([empty]);
    expect(emptyRun.code).toBe(1);
    expect(emptyRun.stderr).toMatch(/empty/i);
    const missingRun = await failure(['/nonexistent/x.csv']);
    expect(missingRun.code).toBe(1);
    expect(missingRun.stderr).toMatch(/no such file/);
  }, 60_000);
});
