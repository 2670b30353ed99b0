import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage, readMark } from '@nexus/tech5-sim';
import { main } from '../../src/cli/main';
import { resolveFaceImagePath } from '../../src/dedupe/facePaths';
import { readRecordFile } from '../../src/files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-generate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('nexus generate', () => {
  it('writes records.csv with face images beside it, and truth.csv', async () => {
    const out = path.join(dir, 'set');
    const stdout: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => (stdout.push(String(chunk)), true);
    let code: number;
    try {
      code = await main([
        'generate',
        '--people',
        '30',
        '--dup-rate',
        '0.5',
        '--faces',
        '--spoof-rate',
        '0.2',
        '--out',
        out,
        '--quiet',
      ]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.join('').trim()) as { records: number; people: number; spoofs: number };
    expect(summary.people).toBe(30);

    const rows = [];
    for await (const row of readRecordFile(path.join(out, 'records.csv'))) rows.push(row);
    expect(rows).toHaveLength(summary.records);
    const truth = fs.readFileSync(path.join(out, 'truth.csv'), 'utf8').trim().split('\n');
    expect(truth[0]).toBe('external_id,person_id,is_spoof');
    const spoofs = truth.slice(1).filter((l) => l.endsWith(',1')).length;
    expect(spoofs).toBe(summary.spoofs);
    expect(spoofs).toBeGreaterThan(0);

    const isSpoof = new Map(truth.slice(1).map((l) => [l.split(',')[0]!, l.split(',')[2] === '1']));
    for (const row of rows) {
      if (!row.ok) throw new Error('a generated row does not parse');
      expect(row.record.face_image).toMatch(/^faces\/.+\.png$/);
      const absolute = resolveFaceImagePath(row.record, path.join(out, 'records.csv')).face_image!;
      expect(path.isAbsolute(absolute)).toBe(true);
      const mark = readMark(decodeImage(fs.readFileSync(absolute)));
      expect(mark).not.toBeNull();
      expect(mark!.spoof !== null).toBe(isSpoof.get(row.record.external_id));
    }
  });

  it('refuses a spoof rate without faces', async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => (errors.push(String(chunk)), true);
    try {
      expect(
        await main(['generate', '--people', '3', '--dup-rate', '0', '--spoof-rate', '0.5', '--out', dir]),
      ).not.toBe(0);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/--spoof-rate needs --faces/);
  });
});
