import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * One event stream whatever the bus (docs/decisions/0048-one-event-stream.md).
 *
 * event_outbox is the transactional outbox: every state change writes its events here in its own
 * transaction, with the key's sequence taken from notification_keys (a row lock per key, so a
 * key's sequences follow commit order). No global lock is taken there, so deciders on every
 * partition commit in parallel. The engine's event relay moves committed rows, oldest first, to
 * Kafka (when configured) and then into notifications (the log subscribers and long polls read),
 * deleting them from here in the same transaction.
 *
 * The events are written by triggers, so no writer can forget them and they commit or roll back
 * with the change itself: an audit entry of a published action (the list below; keep it equal to
 * PUBLISHED_AUDIT_ACTIONS in events.ts, a test checks) becomes an event keyed by its entity, plus
 * `golden_record.survivorship_changed` when it changed best values; a record reaching a terminal
 * status becomes `record.decided` keyed by the record. A redelivered record writes nothing, so it
 * stages nothing: each event exists once.
 *
 * Event ids become text: ids derived from the rows that caused them (`audit:<id>`,
 * `record.decided:<record id>:<sequence>`), stable across redelivery; notify() still draws UUIDs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table event_outbox (
      id bigserial primary key,
      event_id text not null unique,
      type text not null,
      key text not null,
      sequence integer not null,
      schema_version integer not null,
      source text,
      data jsonb not null,
      created_at timestamptz not null default now(),
      unique (key, sequence)
    );

    alter table notifications alter column event_id drop default;
    alter table notifications alter column event_id type text using event_id::text;
    alter table notifications add column schema_version integer not null default 1;
    alter table notifications add column source text;

    alter table notification_subscriptions add column sources text[];

    create function nexus_stage_event(
      p_event_id text, p_type text, p_key text, p_source text, p_data jsonb, p_at timestamptz
    ) returns void language plpgsql as $$
    declare
      seq integer;
    begin
      insert into notification_keys (key, sequence) values (p_key, 1)
        on conflict (key) do update set sequence = notification_keys.sequence + 1
        returning sequence into seq;
      insert into event_outbox (event_id, type, key, sequence, schema_version, source, data, created_at)
        values (coalesce(p_event_id, p_type || ':' || p_key || ':' || seq), p_type, p_key, seq, 1,
                p_source, p_data, coalesce(p_at, now()));
    end $$;

    create function audit_log_to_events() returns trigger language plpgsql as $$
    declare
      src text;
      changed jsonb;
    begin
      if new.action not in (
        'golden_record.created', 'golden_record.linked', 'golden_record.merged',
        'golden_record.merged_into', 'golden_record.split', 'golden_record.created_by_split',
        'golden_record.resettled', 'golden_record.erased', 'review_case.opened',
        'review_case.claimed', 'review_case.released', 'review_case.resolved',
        'record.dead_lettered', 'record.replayed', 'record.erased', 'dead_letter.discarded'
      ) then
        return null;
      end if;
      if new.record_id is not null then
        select source into src from records where id = new.record_id;
      end if;
      perform nexus_stage_event('audit:' || new.id, new.action, new.entity_id, src,
        jsonb_build_object('entityType', new.entity_type, 'entityId', new.entity_id,
          'recordId', new.record_id, 'actor', new.actor, 'after', new.after), new.at);
      changed := new.after -> 'changedFields';
      if new.entity_type = 'golden_record' and jsonb_typeof(changed) = 'array'
         and jsonb_array_length(changed) > 0 then
        perform nexus_stage_event('audit:' || new.id || ':survivorship',
          'golden_record.survivorship_changed', new.entity_id, src,
          jsonb_build_object('goldenId', new.entity_id, 'changedFields', changed,
            'cause', new.action, 'recordId', new.record_id, 'actor', new.actor), new.at);
      end if;
      return null;
    end $$;

    create trigger audit_log_events after insert on audit_log
      for each row execute function audit_log_to_events();

    create function records_decided_to_events() returns trigger language plpgsql as $$
    declare
      golden uuid;
      review uuid;
    begin
      select golden_id into golden from golden_record_members where record_id = new.id;
      select id into review from review_cases where record_id = new.id;
      perform nexus_stage_event(null, 'record.decided', new.id::text, new.source,
        jsonb_build_object('recordId', new.id, 'source', new.source, 'externalId', new.external_id,
          'batchId', new.batch_id, 'status', new.status, 'rule', new.decision_rule,
          'goldenId', golden, 'caseId', review), new.decided_at);
      return null;
    end $$;

    create trigger records_decided_events after update of status on records
      for each row
      when (old.status is distinct from new.status
            and new.status in ('new', 'linked', 'review', 'rejected', 'dead_lettered', 'cancelled'))
      execute function records_decided_to_events();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop trigger records_decided_events on records;
    drop function records_decided_to_events();
    drop trigger audit_log_events on audit_log;
    drop function audit_log_to_events();
    drop function nexus_stage_event(text, text, text, text, jsonb, timestamptz);
    alter table notification_subscriptions drop column sources;
    alter table notifications drop column source;
    alter table notifications drop column schema_version;
    delete from notifications where event_id !~ '^[0-9a-f-]{36}$';
    alter table notifications alter column event_id type uuid using event_id::uuid;
    alter table notifications alter column event_id set default gen_random_uuid();
    drop table event_outbox;
  `.execute(db);
}
