import { sql } from 'kysely';
import {
  appendAudit,
  changedBestFields,
  membersOf,
  retireGoldenRecords,
  clearBestValues,
  settleGoldenRecord,
  type AuditEntry,
  type Db,
} from '@nexus/actors';
import type { ErasurePlan } from './erasurePlan';

/** A decision's explanation without the values it compared: fields, levels and weights stay. */
const WITHOUT_VALUES = sql`case when jsonb_typeof(explanation -> 'fields') = 'array'
  then jsonb_set(explanation, '{fields}', (select coalesce(jsonb_agg(f - 'left' - 'right'), '[]'::jsonb)
    from jsonb_array_elements(explanation -> 'fields') as f))
  else explanation end`;

/**
 * The erasure's writes, inside the caller's transaction and under its locks (lockTargets). The
 * record rows stay as tombstones (ids, source, batch, dates, decision and its weights); every
 * value goes: the payload (face image included), the cleaned form, the external id (it may be a
 * national id, and a new registration must not answer as this one), messages that may quote
 * values, blocking keys, membership, face references, bus messages, dead-letter copies, and the
 * values other records' explanations copied from these. Golden records left with members are
 * re-settled from them; those left with none become `erased` tombstones.
 */
export async function writeErasure(
  trx: Db,
  erasureId: string,
  plan: ErasurePlan,
  reason: string,
  actor: string,
): Promise<void> {
  const ids = plan.records.map((r) => r.recordId);
  const fieldsOf = new Map<string, string[]>();
  if (ids.length > 0) {
    const payloads = await trx
      .selectFrom('records')
      .select(['id', 'payload'])
      .where('id', 'in', ids)
      .execute();
    for (const p of payloads) fieldsOf.set(p.id, Object.keys(p.payload).sort());
    await sql`update records set
        payload = '{}'::jsonb,
        normalised = null,
        external_id = 'erased:' || id::text,
        errors = case when jsonb_typeof(errors) = 'array' then (select jsonb_agg(jsonb_build_object(
          'field', e ->> 'field', 'message', 'erased')) from jsonb_array_elements(errors) as e) else errors end,
        explanation = ${WITHOUT_VALUES},
        erased_at = clock_timestamp()
      where id = any(${ids}::uuid[])`.execute(trx);
    await sql`update records set explanation = ${WITHOUT_VALUES}
      where explanation is not null and erased_at is null
        and exists (select 1 from unnest(${ids}::text[]) as e(id) where strpos(explanation::text, e.id) > 0)`.execute(
      trx,
    );
    await trx.deleteFrom('blocking_keys').where('record_id', 'in', ids).execute();
    await trx.deleteFrom('golden_record_members').where('record_id', 'in', ids).execute();
    await trx.deleteFrom('biometric_references').where('reference_id', 'in', ids).execute();
    await sql`delete from bus_messages where payload ->> 'recordId' = any(${ids}::text[])`.execute(trx);
    // Events already published about these records keep their ids and decisions, not the
    // external id (the client's own reference to the person): it becomes the tombstone's.
    for (const table of ['event_outbox', 'notifications'] as const) {
      await sql`update ${sql.table(table)}
          set data = jsonb_set(data, '{externalId}', to_jsonb('erased:' || (data ->> 'recordId')))
        where data ? 'externalId' and data ->> 'recordId' = any(${ids}::text[])`.execute(trx);
    }
    await trx
      .updateTable('dead_letters')
      .set({
        payload: JSON.stringify({}) as never,
        error: 'erased',
        status: sql`case when status = 'open' then 'discarded' else status end`,
        resolved_by: sql`coalesce(resolved_by, ${actor})`,
        resolved_at: sql`coalesce(resolved_at, now())`,
      })
      .where('record_id', 'in', ids)
      .execute();
  }
  const closing = plan.reviewCases.filter((c) => c.closes).map((c) => c.caseId);
  if (closing.length > 0) {
    await trx
      .updateTable('review_cases')
      .set({
        status: 'resolved',
        resolution: 'erased',
        resolved_by: actor,
        resolved_at: sql`now()`,
        reason: `erasure ${erasureId}`,
      })
      .where('id', 'in', closing)
      .execute();
  }
  const entries: AuditEntry[] = plan.records.map((r) => ({
    actor,
    action: 'record.erased',
    entity_type: 'record',
    entity_id: r.recordId,
    record_id: r.recordId,
    before: { status: r.status, goldenId: r.goldenId },
    after: { erasureId, reason, erasedFields: fieldsOf.get(r.recordId) ?? [] },
  }));
  for (const g of plan.goldenRecords) {
    const old = await trx
      .selectFrom('golden_records')
      .select(['best', 'member_count'])
      .where('id', '=', g.goldenId)
      .executeTakeFirstOrThrow();
    const members = await membersOf(trx, [g.goldenId]);
    if (members.length > 0) {
      const best = await settleGoldenRecord(trx, g.goldenId, members);
      entries.push({
        actor,
        action: 'golden_record.resettled',
        entity_type: 'golden_record',
        entity_id: g.goldenId,
        record_id: null,
        before: { member_count: old.member_count },
        after: { ...changedBestFields(old.best, best), member_count: members.length, erasureId, reason },
      });
      continue;
    }
    await retireGoldenRecords(trx, [g.goldenId], { status: 'erased' });
    entries.push({
      actor,
      action: 'golden_record.erased',
      entity_type: 'golden_record',
      entity_id: g.goldenId,
      record_id: null,
      before: { status: 'active', member_count: old.member_count },
      after: { status: 'erased', member_count: 0, erasureId, reason },
    });
  }
  // Closed by a merge, they kept the best values of their day; those may be this person's.
  await clearBestValues(trx, plan.mergedGoldenRecords);
  await appendAudit(trx, entries);
}
