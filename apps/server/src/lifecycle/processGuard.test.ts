import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../../test/fixtures/guardedProcess.ts');

describe('the process guard', () => {
  it('logs an uncaught exception and an unhandled rejection, and the process goes on', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: path.resolve(import.meta.dirname, '../..'),
    });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string; stack: string } });
    expect(lines.map((l) => l.msg)).toEqual([
      'uncaught exception (a bug): logged, the process goes on',
      'unhandled promise rejection (a bug): logged, the process goes on',
      'still serving',
    ]);
    expect(lines[0]!.level).toBe(60);
    expect(lines[0]!.err!.stack).toContain('remoteAddress');
    expect(lines[1]!.err!.message).toBe('a rejection nobody handles');
  });
});
