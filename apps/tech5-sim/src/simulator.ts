/**
 * The Tech5 simulator: T5-LDS (liveness) and T5-ABIS (1:N, MOSIP ABIS messages) on one HTTP
 * server, with failure injection and call counters. Routes:
 *   POST {ldsUrl}/v1/liveness     {requestId?, image}            -> liveness score, decision, quality
 *   POST {abisUrl}                one MOSIP ABIS message         -> its MOSIP response
 *   GET  /health                                                 -> {status: "ok"}
 *   GET  /sim/stats, POST /sim/faults {services?, ...}, POST /sim/seed {count, seed?}   (operators, CLI)
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { DEFAULT_LIVENESS_THRESHOLD } from './liveness/livenessDetector';
import { mixSeed, prng } from './random';
import { AbisService } from './server/abisService';
import {
  FaultPlan,
  faultSpecSchema,
  TECH5_SERVICES,
  type FaultInput,
  type Tech5Service,
} from './server/faults';
import { LdsService } from './server/ldsService';
import { SampleMemo } from './server/sampleMemo';
import { emptyStats, type SimulatorStats } from './server/stats';
import { TEMPLATE_WORDS } from './biometrics/templates';

export interface Tech5SimulatorOptions {
  /** 0 (default): any free port. */
  port?: number;
  host?: string;
  /** Processing time added to every answer, in ms (a real ABIS is not instant). */
  latencyMs?: number;
  /**
   * Fixed-latency mode: every LDS and ABIS answer is sent this many ms after its request arrived,
   * and the answers cost next to no CPU (each image read once, generated faces judged by their
   * capture mark: server/sampleMemo.ts). For measuring how the engine overlaps its waits on
   * Tech5 apart from the simulator's own work on the same cores. Not with latencyMs.
   */
  fixedLatencyMs?: number;
  /** Liveness decision threshold, 0..1. */
  livenessThreshold?: number;
  /** Largest request body, in bytes. */
  maxBodyBytes?: number;
}

export interface Tech5Simulator {
  url: string;
  ldsUrl: string;
  abisUrl: string;
  /** Copies of the counters. */
  stats(): SimulatorStats;
  resetStats(): void;
  /** Replaces the faults of the given services (both by default); `setFaults({})` clears them. */
  setFaults(faults: FaultInput): void;
  /** Enrols `count` random people directly (no images, no HTTP): a large gallery for benchmarks. */
  seedReferences(count: number, seed?: number): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startTech5Simulator(options: Tech5SimulatorOptions = {}): Promise<Tech5Simulator> {
  const fixedLatencyMs = options.fixedLatencyMs ?? 0;
  if (fixedLatencyMs > 0 && (options.latencyMs ?? 0) > 0)
    throw new Error('fixedLatencyMs and latencyMs exclude each other: choose one');
  const stats = emptyStats();
  const faults = new FaultPlan();
  const threshold = options.livenessThreshold ?? DEFAULT_LIVENESS_THRESHOLD;
  const memo = fixedLatencyMs > 0 ? new SampleMemo(stats, threshold) : undefined;
  const abis = new AbisService(stats, memo);
  const lds = new LdsService(stats, threshold, memo);
  /** In fixed-latency mode, waits out what is left of the answer's fixed time. */
  const answerAt = async (arrived: number) => {
    const left = fixedLatencyMs - (performance.now() - arrived);
    if (fixedLatencyMs > 0 && left > 0) await sleep(left);
  };
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const held = new Set<Socket>();

  const readJson = async (req: http.IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBody) throw new HttpError(413, `the request body is larger than ${maxBody} bytes`);
      chunks.push(chunk as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new HttpError(400, 'the request body is not JSON');
    }
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  /** Applies the service's faults; false when the request must get no normal answer. */
  const injected = async (
    service: Tech5Service,
    operation: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => {
    const delay = faults.delayMs(service, operation) + (options.latencyMs ?? 0);
    if (delay > 0) await sleep(delay);
    switch (faults.draw(service, operation)) {
      case 'drop':
        stats.faults.drops++;
        req.socket.destroy();
        return false;
      case 'timeout':
        stats.faults.timeouts++;
        held.add(req.socket);
        req.socket.once('close', () => held.delete(req.socket));
        return false;
      case 'unavailable':
        stats.faults.unavailable++;
        res.setHeader('retry-after', '1');
        send(res, 503, {
          error: { code: 'TECH5.UNAVAILABLE', message: `${service} is unavailable (injected fault)` },
        });
        return false;
      case 'pass':
        return true;
    }
  };

  const route = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = (req.url ?? '/').replace(/\?.*$/s, '').replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
    if (method === 'GET' && path === '/sim/stats') return send(res, 200, snapshot());
    if (method === 'POST' && path === '/sim/faults') {
      const body = await readJson(req);
      const parsed = faultSpecSchema
        .extend({ services: z.array(z.enum(TECH5_SERVICES)).optional() })
        .safeParse(body);
      if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => i.message).join('; '));
      faults.set(parsed.data);
      return send(res, 200, { lds: faults.get('lds'), abis: faults.get('abis') });
    }
    if (method === 'POST' && path === '/sim/seed') {
      const body = z
        .object({ count: z.number().int().min(1).max(10_000_000), seed: z.number().int().optional() })
        .safeParse(await readJson(req));
      if (!body.success) throw new HttpError(400, 'expected {count, seed?}');
      seedReferences(body.data.count, body.data.seed);
      return send(res, 200, { references: abis.gallery.size });
    }
    if (method === 'POST' && path === '/lds/v1/liveness') {
      const arrived = performance.now();
      const body = await readJson(req);
      if (!(await injected('lds', 'liveness', req, res))) return;
      const reply = lds.handle(body);
      await answerAt(arrived);
      return send(res, reply.status, reply.body);
    }
    if (method === 'POST' && path === '/abis') {
      const arrived = performance.now();
      const body = await readJson(req);
      const id = (body as { id?: unknown } | null)?.id;
      const operation = typeof id === 'string' ? id.replace(/^mosip\.abis\./, '') : 'unknown';
      if (!(await injected('abis', operation, req, res))) return;
      const reply = await abis.handle(body);
      await answerAt(arrived);
      return send(res, reply.status, reply.body);
    }
    throw new HttpError(404, `no route ${method} ${path}`);
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, {
        error: {
          code: `SIM.HTTP_${status}`,
          message: error instanceof Error ? error.message : String(error),
        },
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const snapshot = (): SimulatorStats => {
    stats.references = abis.gallery.size;
    return structuredClone(stats);
  };

  const seedReferences = (count: number, seed = 1) => {
    const rnd = prng(mixSeed(seed, abis.gallery.size));
    const template = new Uint32Array(TEMPLATE_WORDS);
    const start = abis.gallery.size;
    for (let i = 0; i < count; i++) {
      for (let w = 0; w < TEMPLATE_WORDS; w++) template[w] = Math.floor(rnd() * 0x100000000) >>> 0;
      abis.gallery.insert(`seed-${seed}-${start + i}`, template);
    }
    stats.references = abis.gallery.size;
  };

  return {
    url,
    ldsUrl: `${url}/lds`,
    abisUrl: `${url}/abis`,
    stats: snapshot,
    resetStats: () => void Object.assign(stats, emptyStats()),
    setFaults: (input) => faults.set(input),
    seedReferences,
    close: async () => {
      for (const socket of held) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
