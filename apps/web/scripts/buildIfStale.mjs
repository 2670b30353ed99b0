#!/usr/bin/env node
// `npm start` calls this: builds the dashboard when dist/ is missing or older than any source, so a
// fresh clone serves it and a second start does not wait for a build it does not need.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const built = path.join(root, 'dist', 'index.html');

function newest(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((max, name) => Math.max(max, newest(path.join(entry, name))), stat.mtimeMs);
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => path.join(root, p));
const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
if (builtAt > 0 && sources.every((s) => !fs.existsSync(s) || newest(s) <= builtAt)) process.exit(0);

process.stdout.write('Building the dashboard (apps/web, once per change)...\n');
const { build } = await import('vite');
await build({ root, logLevel: 'warn', configFile: path.join(root, 'vite.config.ts') });
