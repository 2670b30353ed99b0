// npm run bench:kafka [-- --records=N] — the throughput benchmark on Kafka + Elasticsearch against
// the embedded defaults (Postgres bus, Postgres candidates), and against a pass-through consumer
// that only reads raw_records and inserts rows (the ceiling of this machine). Records/s, p95
// latency (produced -> decided), consumer lag over time. Elasticsearch candidates both ways: a
// micro-batch's queries in one _msearch (ADR 0056) and one record at a time (before it). After
// each engine's backlog, new records at half its records/s, at a steady pace: received -> decided
// when it keeps up (bench/steadyRate.ts; --steady-seconds=N, 0 to skip).
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { sql } from 'kysely';
import pg from 'pg';
import {
  createDb,
  createSearchClient,
  KafkaRecordBus,
  migrateToLatest,
  type Db,
  type RecordBus,
} from '@nexus/actors';
import { partitionKey, type RawRecordMessage } from '@nexus/schema';
import { loadConfig } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { startEngine, type EngineConfig } from '../apps/server/src/engine/engine';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';
import {
  runningLocalService,
  startLocalService,
  stopLocalService,
  type LocalService,
} from '../test/localServices';
import { numberArg } from './args';
import { machineLine, writeBenchmarkSection } from './report';
import { percentile } from './stats';
import {
  STEADY_SOURCE,
  steadyLine,
  steadyRecords,
  submitAtSteadyRate,
  type SteadyResult,
} from './steadyRate';

const target = numberArg('records', 10_000);
const steadySeconds = numberArg('steady-seconds', 60);
const SAMPLE_MS = 2000;

interface Result {
  name: string;
  records: number;
  seconds: number;
  p50: number;
  p95: number;
  /** [seconds since start, records not yet consumed] */
  lag: Array<[number, number]>;
  steady?: SteadyResult;
}

async function freshDatabase(adminUrl: string): Promise<{ url: string; db: Db }> {
  const name = `nexus_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 10, applicationName: 'nexus-bench' });
  await migrateToLatest(db);
  return { url: url.toString(), db };
}

function messages(): RawRecordMessage[] {
  return generatePopulation({ people: Math.round(target / 1.2), dupRate: 0.2, seed: 2027 }).map(
    ({ record }) => ({
      recordId: randomUUID(),
      batchId: null,
      source: 'bench',
      record,
      receivedAt: '',
    }),
  );
}

/** Produces every record (path B), stamping receivedAt as it goes. */
async function produce(bus: RecordBus, list: RawRecordMessage[]): Promise<void> {
  for (let i = 0; i < list.length; i += 500) {
    const receivedAt = new Date().toISOString();
    await bus.publish(
      list
        .slice(i, i + 500)
        .map((m) => ({ key: partitionKey(m.source, m.record.external_id), value: { ...m, receivedAt } })),
    );
  }
}

async function latencies(db: Db, table: 'records' | 'passthrough'): Promise<number[]> {
  const at = table === 'records' ? sql`decided_at` : sql`inserted_at`;
  const rows = await sql<{ ms: number }>`
    select extract(epoch from (${at} - received_at)) * 1000 as ms from ${sql.table(table)}
    ${table === 'records' ? sql`where source = 'bench'` : sql``} order by 1`.execute(db);
  return rows.rows.map((r) => Number(r.ms));
}

async function engineRun(
  name: string,
  adminUrl: string,
  list: RawRecordMessage[],
  extra: Partial<EngineConfig>,
  options: { batchDecisions?: boolean } = {},
): Promise<Result> {
  const { url, db } = await freshDatabase(adminUrl);
  const config = {
    ...loadConfig({}),
    NEXUS_CONSUMER_GROUP: `bench-${randomBytes(4).toString('hex')}`,
    ...extra,
  };
  const id = randomBytes(4).toString('hex');
  const topics = {
    records: `bench-${id}.raw_records`,
    events: `bench-${id}.events`,
    deadLetters: `bench-${id}.dlq`,
  };
  const engine = await startEngine(config, db, url, {
    kafka: { topics, log: () => undefined },
    batchDecisions: options.batchDecisions,
  });
  const lag: Array<[number, number]> = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    void engine.supervisor
      .lag()
      .then((m) =>
        lag.push([(performance.now() - started) / 1000, [...m.values()].reduce((a, b) => a + b, 0)]),
      );
  }, SAMPLE_MS);
  try {
    await produce(engine.bus, list);
    for (;;) {
      const { n } = await db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', 'not in', ['received', 'relayed'])
        .where('source', '=', 'bench')
        .executeTakeFirstOrThrow();
      if (Number(n) >= list.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    lag.push([seconds, 0]);
    const ms = await latencies(db, 'records');
    console.log(
      `${name}: ${(list.length / seconds).toFixed(0)} records/s, p95 ${(percentile(ms, 95) / 1000).toFixed(1)} s`,
    );
    const halfRate = list.length / seconds / 2;
    const steady =
      steadySeconds > 0
        ? await submitAtSteadyRate(
            db,
            steadyRecords(Math.max(1, Math.round(halfRate * steadySeconds))),
            halfRate,
            (records) =>
              produce(
                engine.bus,
                records.map((record) => ({
                  recordId: randomUUID(),
                  batchId: null,
                  source: STEADY_SOURCE,
                  record,
                  receivedAt: '',
                })),
              ),
            engine.supervisor,
          )
        : undefined;
    if (steady) console.log(`  steady at half the rate: ${steadyLine(steady)}`);
    return {
      name,
      records: list.length,
      seconds,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      lag,
      steady,
    };
  } finally {
    clearInterval(sampler);
    await engine.stop();
    if (extra.KAFKA_BROKERS) {
      const admin = new Kafka({
        clientId: 'nexus-bench',
        brokers: [extra.KAFKA_BROKERS],
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
    }
    if (extra.ELASTICSEARCH_URL) {
      const client = createSearchClient(extra.ELASTICSEARCH_URL);
      await client.indices.delete({ index: `${config.NEXUS_SEARCH_INDEX}*` }).catch(() => undefined);
      await client.close();
    }
    await db.destroy();
  }
}

/** The ceiling: a consumer group that reads raw_records and inserts each batch as rows, nothing else. */
async function passThrough(
  adminUrl: string,
  brokers: string,
  list: RawRecordMessage[],
  partitions: number,
): Promise<Result> {
  const { url, db } = await freshDatabase(adminUrl);
  await sql`create table passthrough (id uuid primary key, payload jsonb not null, received_at timestamptz not null,
    inserted_at timestamptz not null default clock_timestamp())`.execute(db);
  const id = randomBytes(4).toString('hex');
  const topic = `bench-${id}.raw_records`;
  const bus = await KafkaRecordBus.open({
    brokers: [brokers],
    partitions,
    databaseUrl: url,
    topics: { records: topic, events: `bench-${id}.events`, deadLetters: `bench-${id}.dlq` },
    log: () => undefined,
  });
  const kafka = new Kafka({ clientId: 'nexus-bench', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${id}`, maxWaitTimeInMs: 100 });
  const admin = kafka.admin();
  await admin.connect();
  let inserted = 0;
  const lag: Array<[number, number]> = [];
  const started = performance.now();
  const sampler = setInterval(
    () => lag.push([(performance.now() - started) / 1000, list.length - inserted]),
    SAMPLE_MS,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: partitions,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const rows = batch.messages.map((m) => {
          if (!m.value) throw new Error(`Kafka message at offset ${m.offset} has no value`);
          const value = JSON.parse(m.value.toString()) as RawRecordMessage;
          return { id: value.recordId, payload: JSON.stringify(value.record), received_at: value.receivedAt };
        });
        await sql`insert into passthrough (id, payload, received_at)
          select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, payload jsonb, received_at timestamptz)
          on conflict do nothing`.execute(db);
        inserted += rows.length;
        payload.resolveOffset(batch.lastOffset());
        await consumer.commitOffsets([
          { topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
        ]);
      },
    });
    await produce(bus, list);
    while (inserted < list.length) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - started) / 1000;
    lag.push([seconds, 0]);
    const ms = await latencies(db, 'passthrough');
    console.log(
      `pass-through: ${(list.length / seconds).toFixed(0)} records/s, p95 ${(percentile(ms, 95) / 1000).toFixed(1)} s`,
    );
    return {
      name: 'pass-through consumer (Kafka -> insert rows)',
      records: list.length,
      seconds,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      lag,
    };
  } finally {
    clearInterval(sampler);
    await consumer.disconnect();
    await admin
      .deleteTopics({ topics: [topic, `bench-${id}.events`, `bench-${id}.dlq`] })
      .catch(() => undefined);
    await admin.disconnect();
    await bus.close();
    await db.destroy();
  }
}

async function service(
  name: LocalService,
  given: string | undefined,
  started: LocalService[],
): Promise<string> {
  if (given) return given;
  const running = await runningLocalService(name);
  if (running) return running;
  started.push(name);
  return startLocalService(name);
}

function lagRow(r: Result): string {
  const cells = r.lag
    .filter((_, i) => i % 3 === 0 || i === r.lag.length - 1)
    .map(([t, n]) => `${t.toFixed(0)} s: ${n}`);
  return `| ${r.name} | ${cells.join(', ')} |`;
}

async function main() {
  const config = loadConfig({});
  const loadAtStart = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  const started: LocalService[] = [];
  const [brokers, esUrl] = await Promise.all([
    service('kafka', process.env.KAFKA_BROKERS, started),
    service('elasticsearch', process.env.ELASTICSEARCH_URL, started),
  ]);
  const server = await startEmbeddedPostgres({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-kafka-')),
    persistent: false,
  });
  try {
    const list = messages();
    console.log(
      `${list.length} records, ${config.NEXUS_PARTITIONS} partitions, ${config.NEXUS_WORKERS} worker thread(s)`,
    );
    const search = () => ({
      KAFKA_BROKERS: brokers,
      ELASTICSEARCH_URL: esUrl,
      NEXUS_SEARCH_INDEX: `bench-${randomBytes(4).toString('hex')}`,
    });
    const results = [
      await engineRun('embedded defaults (Postgres bus, Postgres candidates)', server.url, list, {}),
      await engineRun('Kafka bus, Postgres candidates', server.url, list, { KAFKA_BROKERS: brokers }),
      await engineRun(
        'Kafka bus, Elasticsearch candidates (a micro-batch in one _msearch)',
        server.url,
        list,
        search(),
      ),
      await engineRun(
        'Kafka bus, Elasticsearch candidates, one record at a time (before ADR 0056)',
        server.url,
        list,
        search(),
        { batchDecisions: false },
      ),
      await passThrough(server.url, brokers, list, config.NEXUS_PARTITIONS),
    ];
    const ceiling = results.at(-1);
    if (!ceiling) throw new Error('no pass-through run to compare with');
    const ratio = (r: Result) => (r.records / r.seconds / (ceiling.records / ceiling.seconds)).toFixed(3);
    for (const r of results.slice(0, -1)) console.log(`${r.name}: ${ratio(r)} of the pass-through consumer`);
    const table = results
      .map(
        (r) =>
          `| ${r.name} | **${(r.records / r.seconds).toFixed(0)}** | ${r === ceiling ? '1' : ratio(r)} | ${(r.p50 / 1000).toFixed(1)} s | ${(r.p95 / 1000).toFixed(1)} s | ${r.seconds.toFixed(1)} s | ${
            r.steady
              ? `${r.steady.p50.toFixed(0)} / **${r.steady.p95.toFixed(0)}** / ${r.steady.p99.toFixed(0)} ms at ${r.steady.perSecond.toFixed(1)}/s${r.steady.late > 1 ? ` (sender ${r.steady.late.toFixed(0)} s behind)` : ''}`
              : '-'
          } |`,
      )
      .join('\n');
    writeBenchmarkSection(
      'Kafka and Elasticsearch',
      `${machineLine()}, \`npm run bench:kafka -- --records=${target}\`. ${list.length.toLocaleString('en')} generated
records (20% duplicates) produced as fast as possible on path B (500 per send, acks=all) into a
fresh database and fresh topics, then decided by the full pipeline (${config.NEXUS_PARTITIONS} partitions,
${config.NEXUS_WORKERS} worker thread(s) x ${config.NEXUS_WORKER_CONCURRENCY}, micro-batches of ${config.NEXUS_BATCH_SIZE}, events published to nexus.events on Kafka).
Kafka 3.9 and Elasticsearch 8.19 from infra/local, Postgres embedded, all on this 2-core machine
beside the benchmark itself: the services compete with the engine for the same cores.
Latency is produced -> decided (records.decided_at - receivedAt) while a backlog drains, so it
mostly measures queueing. The pass-through consumer reads raw_records with kafkajs and inserts
each fetched batch as rows (one statement per batch), nothing else: the ceiling of this machine.
After each engine's backlog, it took ${steadySeconds} s of new people at half the records/s it had just
reached, produced every 100 ms (bench/steadyRate.ts); the issue's goal there is p95 <= 100 ms.

| run | records/s | of the pass-through | latency p50 | latency p95 | wall time | steady at half its rate: received -> decided p50 / p95 / p99 |
|---|---|---|---|---|---|---|
${table}

Consumer lag (records produced but not yet committed), sampled every ${SAMPLE_MS / 1000} s:

| run | lag over time |
|---|---|
${results.map(lagRow).join('\n')}

Load average when the run started: ${loadAtStart} (other work shares these 2 cores).
Reading: the bus is not the limit (the pass-through consumer drains the same topic one to two
orders of magnitude faster); deciding is. Kafka and the Postgres bus are close on one machine
(either leads, run to run, under other load): the broker's JVM takes CPU, and each micro-batch's
events are read back and produced to nexus.events before its offset is committed, while the
Postgres bus writes to the database that decides. Elasticsearch costs more here: each micro-batch
adds a sync-point read and one _msearch (outside the key locks; one record at a time, each record
added both, ADR 0056) to the same Postgres blocking read restricted to recent changes, and the
node indexes and refreshes continuously, all on the 2 cores that also run Postgres and the worker
threads. Batched, it decides about twice as many records per second as one record at a time
(ADR 0056, median of three runs). Its gains are fuzzy recall (searchParity.test.ts) and, on
separate nodes, taking the candidate search off the database.`,
    );
  } finally {
    await server.stop();
    await Promise.all(started.map((s) => stopLocalService(s).catch(() => undefined)));
  }
}

await main();
