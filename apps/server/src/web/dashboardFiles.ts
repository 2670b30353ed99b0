import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Where `vite build` of apps/web writes the dashboard. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** The dashboard may talk to its own origin only (HTTP and WebSocket), and nobody may frame it. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface Served {
  raw: Buffer;
  gzipped: Buffer | null;
  type: string;
  etag: string;
}

/**
 * Serves the built dashboard: hashed assets cached for a year, index.html never cached, any other
 * path without a file extension answered with index.html (the app routes in the browser).
 * Files are read and gzipped once, then kept in memory: the whole build is a few hundred KB.
 */
export function dashboardFiles(dirGiven?: string) {
  const dir = path.resolve(dirGiven ?? DEFAULT_DASHBOARD_DIR);
  const cache = new Map<string, Promise<Served | null>>();
  const load = (file: string): Promise<Served | null> => {
    let entry = cache.get(file);
    if (!entry) {
      entry = fs.readFile(file).then(
        (raw) => {
          const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
          const gzipped =
            /^(text|application\/json|image\/svg)/.test(type) && raw.length > 1024 ? gzipSync(raw) : null;
          return {
            raw,
            gzipped,
            type,
            etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`,
          };
        },
        () => null,
      );
      cache.set(file, entry);
      // A file missing now may be built later (npm run build:web while the server runs).
      void entry.then((served) => served === null && cache.delete(file));
    }
    return entry;
  };

  /** Answers a GET or HEAD for the dashboard; false when the method is not one of those. */
  return async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const relative = path.normalize(decodeURIComponentSafe(pathname)).replace(/^(\.\.[/\\])+/, '');
    const asFile = path.join(dir, relative);
    const inside = asFile.startsWith(dir + path.sep);
    let served = inside && path.extname(asFile) ? await load(asFile) : null;
    const isIndex = !served;
    if (!served && path.extname(relative) === '') served = await load(path.join(dir, 'index.html'));
    if (!served) {
      if (path.extname(relative) !== '') return notFound(res, pathname);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('The dashboard is not built: run `npm run build:web` (npm start does it for you).\n');
      return true;
    }
    const immutable = !isIndex && relative.includes(`assets${path.sep}`);
    const headers: Record<string, string> = {
      ...SECURITY_HEADERS,
      'content-type': served.type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: served.etag,
      vary: 'accept-encoding',
    };
    if (req.headers['if-none-match'] === served.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const gzipped = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? served.gzipped : null;
    const body = gzipped ?? served.raw;
    if (gzipped) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

function notFound(res: ServerResponse, pathname: string): true {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`no file ${pathname}\n`);
  return true;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
