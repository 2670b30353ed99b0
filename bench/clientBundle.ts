/**
 * The weight of @nexus/client in a browser: its browser entry bundled with everything it imports
 * (@trpc/client and the parts of @trpc/server it uses), minified, gzip -9. Two figures: an app
 * that uses only createNexusClient (what tree-shaking leaves), and the whole surface.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const BROWSER_ENTRY = path.resolve(import.meta.dirname, '../packages/client/src/browser.ts');

export interface ClientBundleSize {
  what: string;
  raw: number;
  gzip: number;
}

async function bundle(what: string, source: string): Promise<ClientBundleSize> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-client-'));
  try {
    const entry = path.join(dir, 'app.ts');
    fs.writeFileSync(entry, source);
    const { build } = await import('vite');
    await build({
      configFile: false,
      root: dir,
      logLevel: 'error',
      build: {
        outDir: path.join(dir, 'out'),
        emptyOutDir: true,
        minify: true,
        lib: { entry, formats: ['es'], fileName: 'app' },
      },
    });
    const [name] = fs.readdirSync(path.join(dir, 'out')).filter((f) => /\.m?js$/.test(f));
    if (name === undefined) throw new Error(`the ${what} build wrote no .js file`);
    const out = path.join(dir, 'out', name);
    const code = fs.readFileSync(out);
    return { what, raw: code.length, gzip: zlib.gzipSync(code, { level: 9 }).length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureClientBundle(): Promise<ClientBundleSize[]> {
  const from = JSON.stringify(BROWSER_ENTRY);
  return [
    await bundle(
      'createNexusClient only',
      `import { createNexusClient } from ${from};\nexport const client = createNexusClient(location.origin, () => 'token');\n`,
    ),
    await bundle('the whole browser entry', `export * from ${from};\n`),
  ];
}

export function clientBundleSection(sizes: ClientBundleSize[], machine: string): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  return [
    `${machine}; Vite production build (library mode, minified, every dependency bundled), gzip -9.`,
    '',
    '| what the app imports | raw | gzip |',
    '|---|---:|---:|',
    ...sizes.map((s) => `| ${s.what} | ${kb(s.raw)} | ${kb(s.gzip)} |`),
    '',
    'Most of it is @trpc/client (links, WebSocket client, the typed proxy); the dashboard pays it',
    'once, in its entry chunk. Run: `npm run bench:web` (with the dashboard figures), or',
    '`npm run bench:web -- --client-only`.',
  ].join('\n');
}
