import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { Engine } from '../engine/engine';

export interface Health {
  status: 'ok' | 'degraded';
  parts: Record<string, { ok: boolean; detail?: string }>;
  partitions: Array<{ partition: number; state: string; lag: number }>;
}

/** Liveness and readiness of each part; `degraded` (503) when one of them is not ready. */
export async function checkHealth(db: Db, engine: Engine): Promise<Health> {
  const parts: Health['parts'] = {};
  try {
    await sql`select 1`.execute(db);
    parts.postgres = { ok: true };
  } catch (error) {
    parts.postgres = { ok: false, detail: String(error) };
  }
  const actors = engine.supervisor.snapshot();
  const lag = await engine.supervisor.lag().catch(() => new Map<number, number>());
  const paused = actors.filter((a) => a.state === 'paused').map((a) => a.partition);
  parts.engine = paused.length
    ? { ok: false, detail: `partitions paused after repeated failures: ${paused.join(', ')}` }
    : { ok: true, detail: `${actors.length} partition actors` };
  // Kafka and Elasticsearch when configured (Elasticsearch down: decisions fall back to Postgres).
  Object.assign(
    parts,
    await engine.health().catch((error: unknown) => ({ engine: { ok: false, detail: String(error) } })),
  );
  return {
    status: Object.values(parts).every((p) => p.ok) ? 'ok' : 'degraded',
    parts,
    partitions: actors.map((a) => ({
      partition: a.partition,
      state: a.state,
      lag: lag.get(a.partition) ?? 0,
    })),
  };
}
