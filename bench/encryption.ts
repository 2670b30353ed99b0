/**
 * `npm run bench:encryption`: what encryption at rest costs per record
 * (docs/decisions/0049-encryption-at-rest.md), each figure beside the same without encryption,
 * same run.
 *
 * 1. The codec alone, in this thread: one record's writes sealed (payload, cleaned record, best
 *    values, explanation) and a candidate set of BENCH_MEMBERS members' cleaned records opened, as
 *    the decision's transaction does; against JSON alone.
 * 2. The whole pipeline on a throw-away database of DATABASE_URL (required): BENCH_RECORDS
 *    generated records (20% duplicates) decided without and with NEXUS_ENCRYPTION_KEY.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb, FieldCipher, migrateToLatest, openWith, sealWith } from '@nexus/actors';
import { blockingKeys, normaliseRecord } from '@nexus/matching';
import type { CanonicalRecord } from '@nexus/schema';
import { loadConfig } from '../apps/server/src/config';
import { startEngine } from '../apps/server/src/engine/engine';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';
import { submitBatch } from '../apps/server/src/ingest/submitBatch';
import { onlyRow } from './benchDatabase';
import { machineLine, writeBenchmarkSection } from './report';
import { percentile } from './stats';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 3_000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 8);
const CODEC_ROUNDS = Number(process.env.BENCH_CODEC_ROUNDS ?? 20_000);
const KEY = 'a-key-encryption-key-for-the-benchmark-0049';

function codecFigures() {
  const cipher = new FieldCipher({
    dataKeys: new Map([['d1', randomBytes(32)]]),
    activeKeyId: 'd1',
    indexKey: randomBytes(32),
  });
  const people = generatePopulation({ people: 200, dupRate: 0, seed: 7 }).map((p) => p.record);
  const explanation = {
    fields: ['given_name', 'family_name', 'national_id', 'email', 'phone'].map((field) => ({
      field,
      level: 'exact',
      weight: 3,
      left: 'value-of-the-left',
      right: 'value-of-the-right',
    })),
  };
  const run = (encrypted: boolean) => {
    const started = performance.now();
    for (let i = 0; i < CODEC_ROUNDS; i++) {
      const record: CanonicalRecord | undefined = people[i % people.length];
      if (!record) throw new Error(`no person ${i % people.length} of ${people.length} to seal`);
      const normalised = normaliseRecord(record);
      const seal = (v: unknown) => JSON.stringify(encrypted ? sealWith(cipher, v) : v);
      seal(record);
      seal(normalised);
      seal(record); // best values: a record's worth
      seal(explanation);
      if (encrypted) blockingKeys(normalised);
      const stored = JSON.stringify(encrypted ? sealWith(cipher, normalised) : normalised);
      for (let m = 0; m < MEMBERS; m++) {
        const row = JSON.parse(stored) as unknown;
        if (encrypted) openWith(cipher, row);
      }
    }
    return ((performance.now() - started) * 1000) / CODEC_ROUNDS;
  };
  run(true); // warm-up
  run(false);
  return { plain: run(false), encrypted: run(true) };
}

async function pipelineRun(base: string, encrypted: boolean) {
  const name = `nexus_bench_enc_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 10, applicationName: 'bench-encryption' });
  try {
    await migrateToLatest(db);
    const config = loadConfig(encrypted ? { NEXUS_ENCRYPTION_KEY: KEY } : {});
    const engine = await startEngine(config, db, url.toString());
    const decisions: number[] = [];
    engine.supervisor.on('outcome', (_p, o) => {
      if (o.result === 'decided' && !o.replayed) decisions.push(o.ms);
    });
    const population = generatePopulation({ people: Math.round(RECORDS / 1.2), dupRate: 0.2, seed: 2049 });
    const started = performance.now();
    for (let i = 0; i < population.length; i += 1000) {
      await submitBatch(db, config.NEXUS_PARTITIONS, {
        source: 'bench',
        records: population.slice(i, i + 1000).map((p) => p.record),
      });
      engine.relay.kick();
    }
    for (;;) {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from records where status in ('received', 'relayed')`.execute(db);
      if (Number(onlyRow({ rows }, 'records in flight').n) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    await engine.stop();
    decisions.sort((a, b) => a - b);
    return {
      records: population.length,
      perSecond: population.length / seconds,
      p50: percentile(decisions, 50),
      p95: percentile(decisions, 95),
    };
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL to a Postgres the bench may create a database in');
  const codec = codecFigures();
  const plain = await pipelineRun(base, false);
  const encrypted = await pipelineRun(base, true);
  const body = `
\`npm run bench:encryption\`, ${machineLine()}, Postgres on 127.0.0.1 (the machine is shared).

The codec alone, one thread, ${CODEC_ROUNDS.toLocaleString('en')} records: a record's writes sealed (payload,
cleaned record, best values, explanation; blind indexes of its identifier keys) and ${MEMBERS} candidate
members' cleaned records opened, as one decision does:

| | µs per record |
|---|---|
| without encryption (JSON only) | ${codec.plain.toFixed(1)} |
| with encryption (AES-256-GCM, HMAC-SHA256) | ${codec.encrypted.toFixed(1)} |

The whole pipeline (Postgres bus, ${loadConfig({}).NEXUS_PARTITIONS} partitions, Postgres candidates, no faces), ${encrypted.records.toLocaleString('en')}
generated records with 20% duplicates on a fresh database each:

| | records/s | decision p50 ms | decision p95 ms |
|---|---|---|---|
| without encryption | ${plain.perSecond.toFixed(0)} | ${plain.p50.toFixed(1)} | ${plain.p95.toFixed(1)} |
| NEXUS_ENCRYPTION_KEY set | ${encrypted.perSecond.toFixed(0)} | ${encrypted.p50.toFixed(1)} | ${encrypted.p95.toFixed(1)} |
`;
  console.log(body);
  writeBenchmarkSection('Encryption at rest (npm run bench:encryption)', body);
}

await main();
