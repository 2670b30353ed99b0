#!/usr/bin/env node
// The `nexus` command. Registers the TypeScript loader, then runs the CLI from source, so that
// `npm ci` is the only set-up step (no build before the first run).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
