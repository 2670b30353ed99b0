import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCapture } from '@nexus/tech5-sim';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { pendingCount, waitUntil } from '../../../../test/engineHarness';
import { loadConfig } from '../config';
import { submitBatch } from '../ingest/submitBatch';
import { startWorkerNode, type RunningWorker } from '../workerNode';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * Issue 11, finding 13, on `nexus worker` (the same metrics and failure logs as `nexus start`):
 * /metrics is served, Node's metrics carry one prefix, the worker threads' Tech5 calls are
 * exported, engine failures are logged, and a gauge that cannot be read is left out.
 */
describe('metrics and logs of failures', () => {
  const PARTITIONS = 2;
  let tdb: TestDatabase;
  let worker: RunningWorker;
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  const scrape = async () => {
    const res = await fetch(`${worker.url}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // A real database failure, every time the poison record tries to create its golden record.
    await sql`
      create function fail_poison() returns trigger language plpgsql as $$
      begin
        if new.best->>'given_name' = 'Poison' then raise exception 'poison record refused by the database'; end if;
        return new;
      end $$;
      create trigger fail_poison before insert on golden_records for each row execute function fail_poison();
    `.execute(tdb.db);
    const config = loadConfig({
      DATABASE_URL: tdb.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      NEXUS_PARTITIONS: String(PARTITIONS),
      NEXUS_WORKERS: '1',
      NEXUS_MAX_ATTEMPTS: '2',
      NEXUS_CONSUMER_GROUP: 'nexus-worker-test',
    });
    worker = await startWorkerNode(config, () => undefined, undefined, { logger });
    const face = `data:image/png;base64,${syntheticCapture({ subject: { family: 41, member: 0 }, captureSeed: 1 }).png.toString('base64')}`;
    await submitBatch(tdb.db, PARTITIONS, {
      source: 'observed',
      records: [
        {
          external_id: 'face-1',
          given_name: 'Ana',
          family_name: 'Silva',
          date_of_birth: '1980-01-02',
          face_image: face,
        },
        { external_id: 'poison-1', given_name: 'Poison', family_name: 'Pill', date_of_birth: '1970-05-06' },
      ],
    });
    worker.engine.relay.kick();
    await waitUntil('both records are terminal', async () => (await pendingCount(tdb.db)) === 0);
    // The counters move when the actor hears back from its task, just after the database.
    await waitUntil('both decisions are counted', async () => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      return (
        text.includes('nexus_records_decided_total{decision="new"} 1') &&
        text.includes('nexus_records_dead_lettered_total 1')
      );
    });
  });
  afterAll(async () => {
    await worker?.shutdown.shutdown();
    await tdb?.drop();
  });

  it("nexus worker serves /metrics, with Node's metrics as nexus_process_* and nexus_nodejs_*", async () => {
    const text = await scrape();
    expect(text).toMatch(/^nexus_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nexus_nodejs_heap_size_used_bytes \d/m);
    expect(text).not.toContain('nexus_process_process_');
    expect(text).toMatch(/^nexus_records_decided_total\{decision="new"\} 1$/m);
    expect(text).toMatch(/^nexus_records_dead_lettered_total 1$/m);
  });

  it("exports the worker threads' Tech5 calls: counts by outcome and a latency histogram", async () => {
    const text = await scrape();
    expect(text).toMatch(
      /^nexus_tech5_calls_total\{service="lds",operation="liveness",outcome="succeeded"\} 1$/m,
    );
    expect(text).toMatch(
      /^nexus_tech5_calls_total\{service="abis",operation="identify",outcome="succeeded"\} 1$/m,
    );
    expect(text).toMatch(
      /^nexus_tech5_call_duration_seconds_count\{service="lds",operation="liveness"\} 1$/m,
    );
    expect(text).toContain(
      'nexus_tech5_call_duration_seconds_bucket{le="+Inf",service="lds",operation="liveness"} 1\n',
    );
    expect(text).toMatch(/^nexus_tech5_retries_total\{service="abis",operation="identify"\} 0$/m);
  });

  it('logs the failures of the engine: the task that failed, the record dead-lettered', () => {
    const failed = lines.filter((l) => l.msg === 'record dead-lettered');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 40, part: 'engine' });
    expect(failed[0]!.error).toMatch(/poison record refused/);
    expect(failed[0]!.recordId).toEqual(expect.any(String));
    // The log names the record by id, never by its contents.
    expect(JSON.stringify(lines)).not.toContain('Pill');
  });

  it('leaves out a gauge it cannot read instead of reporting -1, and says why in the log', async () => {
    await sql`alter table review_cases rename to review_cases_away`.execute(tdb.db);
    try {
      const text = await scrape();
      expect(text).toContain('# TYPE nexus_review_queue gauge');
      expect(text).not.toMatch(/^nexus_review_queue /m);
      expect(text).toMatch(/^nexus_dead_letters_open 1$/m);
    } finally {
      await sql`alter table review_cases_away rename to review_cases`.execute(tdb.db);
    }
    expect(
      lines.some((l) => l.msg.startsWith('metric could not be read') && l.metric === 'nexus_review_queue'),
    ).toBe(true);
    expect(await scrape()).toMatch(/^nexus_review_queue 0$/m);
  });
});
