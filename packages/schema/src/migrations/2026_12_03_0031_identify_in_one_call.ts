import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * `/identify` in one round trip (docs/decisions/0031-identify-in-one-round-trip.md): the
 * reconciliation of docs/decisions/0029 as one server-side function, so that a call is one
 * statement whatever it does, and its statements are planned once per connection.
 *
 * `contacts_holding(email_key, phone_key)`: every live contact of every family holding either key
 * (the primaries and their secondaries apart, each through its index; flat families).
 *
 * `identify_contact(email, email_key, phone, phone_key, actor)` answers the family's rows (with
 * `created` and `joined` on each). In READ COMMITTED every statement of a volatile function reads
 * a new snapshot, so the locking protocol of 0029 holds statement by statement:
 * 1. one read; if one family holds every value given, that is the answer (no lock, no write);
 * 2. else advisory locks on the values (`hashtextextended('e:'|'p:' || key, 29)`, in hash order),
 *    then read the families and lock their primaries (`FOR UPDATE`) until a read finds only
 *    locked primaries;
 * 3. a new primary, or the oldest primary wins and every other family joins it, and a secondary
 *    when a value is new; every change audited without the values (as 0029 writes them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function contacts_holding(p_email_key text, p_phone_key text)
    returns setof contacts language sql stable as $fn$
      with p as (
        select distinct coalesce(h.linked_id, h.id) as primary_id
        from contacts h
        where h.deleted_at is null and (h.email_key = p_email_key or h.phone_key = p_phone_key)
      )
      select c.* from contacts c join p on c.id = p.primary_id where c.deleted_at is null
      union all
      select c.* from contacts c join p on c.linked_id = p.primary_id where c.deleted_at is null
    $fn$;

    create function identify_contact(
      p_email text, p_email_key text, p_phone text, p_phone_key text, p_actor text
    )
    returns table (
      id integer, email text, phone_number text, email_key text, phone_key text,
      linked_id integer, link_precedence text, created_at timestamptz,
      created integer, joined integer
    )
    language plpgsql volatile as $fn$
    #variable_conflict use_column
    declare
      fam contacts[];
      locked integer[] := '{}';
      missing integer[];
      winner contacts;
      loser contacts;
      added contacts;
      moved integer[];
      n_joined integer := 0;
      given jsonb := jsonb_build_object('email', p_email is not null, 'phoneNumber', p_phone is not null);
    begin
      -- 1. A lookup: one family holds every value given. One snapshot, no lock, nothing written.
      fam := array(select h from contacts_holding(p_email_key, p_phone_key) h);
      if (select count(distinct coalesce(f.linked_id, f.id)) = 1 from unnest(fam) f)
         and (p_email_key is null or exists (select from unnest(fam) f where f.email_key = p_email_key))
         and (p_phone_key is null or exists (select from unnest(fam) f where f.phone_key = p_phone_key)) then
        return query
          select f.id, f.email, f.phone_number, f.email_key, f.phone_key, f.linked_id,
                 f.link_precedence, f.created_at, 0, 0
          from unnest(fam) f
          order by f.linked_id is not null, f.created_at, f.id;
        return;
      end if;

      -- 2. Simultaneous first sightings of a value queue here; then the families, read again
      --    until every one of their primaries is locked by this transaction.
      perform pg_advisory_xact_lock(l.h)
      from (
        select distinct hashtextextended(k, 29) as h
        from unnest(array['e:' || p_email_key, 'p:' || p_phone_key]) as k
        where k is not null
      ) as l
      order by l.h;
      for attempt in 1..16 loop
        fam := array(select h from contacts_holding(p_email_key, p_phone_key) h);
        missing := array(
          select distinct coalesce(f.linked_id, f.id) from unnest(fam) f
          where coalesce(f.linked_id, f.id) <> all (locked)
        );
        exit when cardinality(missing) = 0;
        perform 1 from contacts c where c.id = any (missing) order by c.id for update;
        locked := locked || missing;
      end loop;
      if cardinality(missing) > 0 then
        raise exception 'contact families kept moving under 16 rounds of locks';
      end if;

      -- 3a. Nobody holds either value: a new primary.
      if cardinality(fam) = 0 then
        insert into contacts (email, phone_number, email_key, phone_key, linked_id, link_precedence)
        values (p_email, p_phone, p_email_key, p_phone_key, null, 'primary')
        returning * into added;
        insert into audit_log (actor, action, entity_type, entity_id, before, after)
        values (p_actor, 'contact.created', 'contact', added.id::text, null,
                jsonb_build_object('linkPrecedence', 'primary', 'linkedId', null) || given);
        return query
          select added.id, added.email, added.phone_number, added.email_key, added.phone_key,
                 added.linked_id, added.link_precedence, added.created_at, 1, 0;
        return;
      end if;

      -- 3b. The oldest primary stays primary; every other family joins it.
      select f.* into winner from unnest(fam) f
      where f.link_precedence = 'primary' order by f.created_at, f.id limit 1;
      for loser in
        select f.* from unnest(fam) f
        where f.link_precedence = 'primary' and f.id <> winner.id order by f.created_at, f.id
      loop
        with m as (
          update contacts c
          set linked_id = winner.id, link_precedence = 'secondary', updated_at = clock_timestamp()
          where c.id = loser.id or c.linked_id = loser.id
          returning c.id
        )
        select array_agg(m.id order by m.id) into moved from m;
        insert into audit_log (actor, action, entity_type, entity_id, before, after)
        values
          (p_actor, 'contact.demoted', 'contact', loser.id::text,
           jsonb_build_object('linkPrecedence', 'primary', 'linkedId', null),
           jsonb_build_object('linkPrecedence', 'secondary', 'linkedId', winner.id)),
          (p_actor, 'contact.families_joined', 'contact', winner.id::text, null,
           jsonb_build_object('joined', loser.id, 'moved', to_jsonb(moved)));
        n_joined := n_joined + 1;
      end loop;

      -- 3c. A value the family lacks: a secondary linked to the primary.
      if (p_email_key is not null and not exists (select from unnest(fam) f where f.email_key = p_email_key))
         or (p_phone_key is not null and not exists (select from unnest(fam) f where f.phone_key = p_phone_key)) then
        insert into contacts (email, phone_number, email_key, phone_key, linked_id, link_precedence)
        values (p_email, p_phone, p_email_key, p_phone_key, winner.id, 'secondary')
        returning * into added;
        insert into audit_log (actor, action, entity_type, entity_id, before, after)
        values (p_actor, 'contact.linked', 'contact', added.id::text, null,
                jsonb_build_object('linkPrecedence', 'secondary', 'linkedId', winner.id) || given);
        fam := fam || added;
      end if;

      -- The family as it is now, without reading it again: every joined row points at the winner.
      return query
        select f.id, f.email, f.phone_number, f.email_key, f.phone_key,
               case when f.id = winner.id then null else winner.id end,
               case when f.id = winner.id then 'primary' else 'secondary' end,
               f.created_at, (added.id is not null)::integer, n_joined
        from unnest(fam) f
        order by f.id <> winner.id, f.created_at, f.id;
    end;
    $fn$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop function if exists identify_contact(text, text, text, text, text);
    drop function if exists contacts_holding(text, text);
  `.execute(db);
}
