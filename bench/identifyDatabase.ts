import { sql } from 'kysely';
import type { Db } from '@nexus/actors';

/**
 * Pre-fills the contacts table of bench:identify with one `INSERT ... SELECT generate_series`:
 * contact i is `c<i>@bench.test`, every fifth a secondary sharing its primary's phone (the values
 * `knownContact` in identifyClients.ts sends). Returns the seconds it took.
 */
export async function fillContacts(db: Db, contacts: number): Promise<number> {
  const started = performance.now();
  await sql`
    insert into contacts (id, email, phone_number, email_key, phone_key, linked_id, link_precedence, created_at, updated_at)
    select i, 'c' || i || '@bench.test', p, 'c' || i || '@bench.test', p,
           case when i % 5 = 0 then i - 1 end,
           case when i % 5 = 0 then 'secondary' else 'primary' end,
           now() - make_interval(secs => (${contacts} - i) / 1000.0), now()
    from generate_series(1, ${contacts}::int) as i,
         lateral (select '9' || lpad((case when i % 5 = 0 then i - 1 else i end)::text, 9, '0') as p) as v
  `.execute(db);
  await sql`select setval(pg_get_serial_sequence('contacts', 'id'), ${contacts}::int)`.execute(db);
  await sql`analyze contacts`.execute(db);
  return (performance.now() - started) / 1000;
}
