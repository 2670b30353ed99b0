#!/usr/bin/env node
// The `nexus` command. Registers the TypeScript loader, then runs the CLI from source, so that
// `npm ci` is the only set-up step (no build before the first run).
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
// Workspace packages (@nexus/client) are read from their sources, not a build: their exports
// name them under the `@nexus/source` condition, which this resolve hook adds.
registerHooks(
  'data:text/javascript,export function resolve(s, c, next) { return next(s, { ...c, conditions: [...c.conditions, "@nexus/source"] }); }',
);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
