// `npm run build -w @nexus/client` (and `npm pack`, by prepack): dist/ as published, ESM
// JavaScript with its declarations, the server's types written out structurally (routerTypes.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expandRouterTypes } from './routerTypes';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const src = path.join(root, 'src');
const staging = path.join(root, 'build');
const dist = path.join(root, 'dist');

const base = ts.readConfigFile(path.join(root, '../../tsconfig.base.json'), (file) => ts.sys.readFile(file))
  .config as {
  compilerOptions: Record<string, unknown>;
};
const compilerOptions = ts.convertCompilerOptionsFromJson(base.compilerOptions, root).options;

const routerTypes = expandRouterTypes({
  routerFile: path.join(src, 'serverTypes.ts'),
  compilerOptions: { ...compilerOptions, noEmit: true },
});

// The sources as published: the one file that reads the server is replaced by what it read.
fs.rmSync(staging, { recursive: true, force: true });
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(staging, { recursive: true });
for (const name of fs.readdirSync(src)) {
  if (name === 'serverTypes.ts' || name.endsWith('.test.ts')) continue;
  fs.copyFileSync(path.join(src, name), path.join(staging, name));
}
fs.writeFileSync(path.join(staging, 'appRouter.ts'), routerTypes);
fs.writeFileSync(
  path.join(staging, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      declaration: true,
      skipLibCheck: true,
      verbatimModuleSyntax: true,
      types: ['node'],
      typeRoots: [path.join(root, '../../node_modules/@types')],
      rootDir: '.',
      outDir: dist,
    },
    include: ['*.ts'],
  }),
);
// NodeNext reads the package type from the nearest package.json: the staging folder is ESM too.
fs.writeFileSync(path.join(staging, 'package.json'), '{ "type": "module" }\n');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', staging], { stdio: 'inherit' });
fs.rmSync(staging, { recursive: true, force: true });

// Nothing of the server may have come along.
for (const name of fs.readdirSync(dist)) {
  const text = fs.readFileSync(path.join(dist, name), 'utf8');
  const leak = /@nexus\/(?!client)|apps\/server|serverTypes/.exec(text);
  if (leak) throw new Error(`dist/${name} refers to ${leak[0]}: the server's code would come along`);
}
process.stdout.write(`@nexus/client built: ${fs.readdirSync(dist).length} files in dist/\n`);
