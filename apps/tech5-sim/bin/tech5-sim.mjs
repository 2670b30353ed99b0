#!/usr/bin/env node
// The Tech5 simulator on its own. Registers the TypeScript loader, then runs it from source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
