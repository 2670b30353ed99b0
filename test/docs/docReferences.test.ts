/**
 * The docs name files so a newcomer can find them (docs/architecture.md walks a record from
 * `POST /api/v1/records` to the golden record write by file name). A rename that forgets a doc
 * leaves a newcomer looking for a file that is gone: every file a doc names, and every ADR the
 * code cites, must exist.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
const trackedSet = new Set(tracked);
const docs = tracked.filter((f) =>
  /^(README\.md|docs\/.+\.md|(apps|packages|infra|examples)\/.+\.md)$/.test(f),
);

/** A path a doc names in backticks: a folder part and a source, doc or script ending. */
const NAMED_FILE = /`([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+\.(?:ts|tsx|mjs|js|md|sql|json|sh|ya?ml))`/g;
/** Bundles the dashboard build names by content hash (benchmarks quote them): not source files. */
const BUILD_OUTPUT = /^assets\/.+-[A-Za-z0-9_-]{8}\.js$/;
const LINK = /\]\((?!https?:|#|mailto:)([^)#\s]+)/g;

/** Whether `name` is a tracked file: from the root, from the doc's folder, or as a path suffix. */
function exists(doc: string, name: string): boolean {
  const fromDoc = path.normalize(path.join(path.dirname(doc), name)).replace(/\/$/, '');
  return (
    trackedSet.has(name) ||
    trackedSet.has(fromDoc) ||
    tracked.some((f) => f.endsWith(`/${name}`) || f.startsWith(`${fromDoc}/`))
  );
}

describe('docs name files that exist', () => {
  it('reads the docs it should (sanity: a broken filter would pass everything)', () => {
    expect(docs).toContain('docs/architecture.md');
    expect(docs).toContain('README.md');
    expect(docs.filter((d) => d.startsWith('docs/decisions/')).length).toBeGreaterThan(40);
  });

  it('every file a doc names in backticks or links to is in the repository', () => {
    const missing: string[] = [];
    for (const doc of docs) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      for (const [, name = ''] of text.matchAll(NAMED_FILE))
        if (!BUILD_OUTPUT.test(name) && !exists(doc, name)) missing.push(`${doc}: \`${name}\``);
      for (const [, target = ''] of text.matchAll(LINK))
        if (!exists(doc, target)) missing.push(`${doc}: link ${target}`);
    }
    expect(missing).toEqual([]);
  });

  it('every ADR the code cites is in docs/decisions', () => {
    const missing: string[] = [];
    for (const file of tracked.filter((f) => /\.(ts|tsx|mjs)$/.test(f))) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const [adr] of text.matchAll(/docs\/decisions\/[0-9]{4}-[A-Za-z0-9-]+\.md/g))
        if (!trackedSet.has(adr)) missing.push(`${file}: ${adr}`);
    }
    expect(missing).toEqual([]);
  });
});
