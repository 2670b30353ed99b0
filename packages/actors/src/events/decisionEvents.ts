import { sql } from 'kysely';
import type { DeadLetterMessage, NexusEvent } from '@nexus/schema';
import type { Db } from '../db/database';
import type { EventPublisher } from './eventPublisher';

export interface DecisionEvents {
  events: NexusEvent[];
  deadLetters: DeadLetterMessage[];
}

const iso = (d: Date | string | null) => (d === null ? new Date(0).toISOString() : new Date(d).toISOString());

/**
 * The events of records whose fate was just committed, read back from the rows the decision
 * wrote: one `record.decided` per record and one event per audit entry (golden record created,
 * linked, review case opened, record dead-lettered). Ids come from those rows, so reading them
 * again after a redelivery gives the same ids.
 */
export async function loadDecisionEvents(db: Db, recordIds: readonly string[]): Promise<DecisionEvents> {
  if (recordIds.length === 0) return { events: [], deadLetters: [] };
  const ids = [...recordIds];
  const [records, audit, letters] = await Promise.all([
    sql<{
      id: string;
      status: string;
      source: string;
      external_id: string;
      batch_id: string | null;
      decision_rule: string | null;
      decided_at: Date | null;
      golden_id: string | null;
      case_id: string | null;
    }>`
      select r.id, r.status, r.source, r.external_id, r.batch_id, r.decision_rule, r.decided_at,
             m.golden_id, c.id as case_id
      from unnest(${ids}::uuid[]) as x(id)
      join records r on r.id = x.id
      left join golden_record_members m on m.record_id = r.id
      left join review_cases c on c.record_id = r.id`.execute(db),
    sql<{
      id: string;
      at: Date;
      actor: string;
      action: string;
      entity_type: string;
      entity_id: string;
      record_id: string;
      after: Record<string, unknown> | null;
    }>`
      select a.id, a.at, a.actor, a.action, a.entity_type, a.entity_id, a.record_id, a.after
      from audit_log a where a.record_id = any(${ids}::uuid[]) order by a.id`.execute(db),
    sql<{
      id: string;
      record_id: string;
      partition: number;
      bus_offset: string;
      payload: unknown;
      error: string;
      attempts: number;
    }>`
      select d.id, d.record_id, d.partition, d.bus_offset, d.payload, d.error, d.attempts
      from dead_letters d where d.record_id = any(${ids}::uuid[]) order by d.id`.execute(db),
  ]);
  const events: NexusEvent[] = [];
  for (const a of audit.rows) {
    events.push({
      id: `audit:${a.id}`,
      type: a.action,
      key: a.entity_id,
      at: iso(a.at),
      data: {
        entityType: a.entity_type,
        entityId: a.entity_id,
        recordId: a.record_id,
        actor: a.actor,
        after: a.after,
      },
    });
  }
  for (const r of records.rows) {
    events.push({
      id: `record.decided:${r.id}`,
      type: 'record.decided',
      key: r.id,
      at: iso(r.decided_at),
      data: {
        recordId: r.id,
        source: r.source,
        externalId: r.external_id,
        batchId: r.batch_id,
        status: r.status,
        rule: r.decision_rule,
        goldenId: r.golden_id,
        caseId: r.case_id,
      },
    });
  }
  const deadLetters = letters.rows.map((d) => ({
    id: `dead_letter:${d.id}`,
    recordId: d.record_id,
    partition: d.partition,
    offset: Number(d.bus_offset),
    error: d.error,
    attempts: d.attempts,
    message: d.payload,
  }));
  return { events, deadLetters };
}

/**
 * Publishes the events of just-committed records, retrying for about half a minute (a broker
 * restart). Called before the bus position is committed: what is not published is redelivered.
 */
export async function publishDecisionEvents(
  db: Db,
  publisher: EventPublisher,
  recordIds: readonly string[],
  options: { attempts?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const { events, deadLetters } = await loadDecisionEvents(db, recordIds);
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      await publisher.publishEvents(events);
      await publisher.publishDeadLetters(deadLetters);
      return;
    } catch (error) {
      if (attempt >= attempts || options.signal?.aborted === true) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}
