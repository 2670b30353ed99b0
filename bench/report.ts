import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BENCHMARKS_FILE = path.resolve(import.meta.dirname, '../docs/benchmarks.md');

const HEADER = `# Benchmarks

Figures measured on this project's machine (2 cores, 24 GiB), written by the \`npm run bench:*\`
scripts; each section says when and how it was produced. Timings are noisy: compare within one
run. No test asserts a duration.
`;

/** Replaces the section `## title` of docs/benchmarks.md (or appends it), keeping the others. */
export function writeBenchmarkSection(title: string, body: string): void {
  const current = fs.existsSync(BENCHMARKS_FILE) ? fs.readFileSync(BENCHMARKS_FILE, 'utf8') : HEADER;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = current.indexOf(`${heading}\n`);
  let next: string;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const rest = current.slice(start + heading.length);
    const end = rest.search(/\n## /);
    next = current.slice(0, start) + section + (end === -1 ? '' : `\n${rest.slice(end + 1)}`);
  }
  fs.mkdirSync(path.dirname(BENCHMARKS_FILE), { recursive: true });
  fs.writeFileSync(BENCHMARKS_FILE, next.endsWith('\n') ? next : `${next}\n`);
}

export function machineLine(): string {
  return `Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The machine's one-minute load average (the reports print it beside their timings). */
export function loadAverage(): number {
  const [oneMinute] = os.loadavg();
  if (oneMinute === undefined) throw new Error('os.loadavg() gave no one-minute figure');
  return oneMinute;
}
