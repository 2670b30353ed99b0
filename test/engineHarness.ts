import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db, SupervisionPolicy } from '@nexus/actors';
import { startEngine, type Engine, type EngineConfig } from '../apps/server/src/engine/engine';
import type { TestDatabase } from './testDatabase';

export const TEST_ENGINE_CONFIG: EngineConfig = {
  NEXUS_PARTITIONS: 4,
  NEXUS_WORKERS: 2,
  NEXUS_WORKER_CONCURRENCY: 2,
  NEXUS_BATCH_SIZE: 8,
  NEXUS_MAX_ATTEMPTS: 5,
  NEXUS_CONSUMER_GROUP: 'nexus-test',
  NEXUS_DEFAULT_COUNTRY: undefined,
};

export function startTestEngine(
  tdb: TestDatabase,
  config: Partial<EngineConfig> = {},
  policy: Partial<SupervisionPolicy> = {},
): Promise<Engine> {
  return startEngine({ ...TEST_ENGINE_CONFIG, ...config }, tdb.db, tdb.url, {
    policy: { baseBackoffMs: 10, maxBackoffMs: 100, ...policy },
  });
}

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(100);
  }
}

export async function pendingCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['received', 'relayed'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('records')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Invariant 2 as data: every decided record has exactly one decision entry in the audit log
 * (created, linked or review case opened), and golden member counts add up. A merge proposal of
 * golden records that a linked record opened beside its link is not its decision: left out.
 */
export async function decisionEntriesPerRecord(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['record_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('action', 'in', ['golden_record.created', 'golden_record.linked', 'review_case.opened'])
    .where(sql<boolean>`coalesce(after->>'bridgingRecord', '') = ''`)
    .groupBy('record_id')
    .execute();
  return new Map(rows.map((r) => [r.record_id!, Number(r.n)]));
}
