import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Who submitted what (docs/decisions/0025-ownership-of-batches-and-records.md): the account that
 * submitted a batch, or a streamed record (path B; a batch's records belong to their batch), and
 * the ingest account a source belongs to, since external ids are unique per source. Batches from
 * before are given the account their username names; each source used by ingest accounts goes to
 * the first of them that used it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table batches add column submitted_by_id uuid references users(id);
    create index batches_by_submitter on batches (submitted_by_id, created_at desc);
    alter table records add column submitted_by_id uuid references users(id);

    update batches b set submitted_by_id = u.id
      from users u where lower(u.username) = lower(b.submitted_by) and b.submitted_by_id is null;

    create table source_owners (
      source text primary key,
      user_id uuid not null references users(id),
      claimed_at timestamptz not null default now()
    );
    insert into source_owners (source, user_id, claimed_at)
      select distinct on (b.source) b.source, b.submitted_by_id, b.created_at
        from batches b join users u on u.id = b.submitted_by_id
       where u.role = 'ingest'
       order by b.source, b.created_at, b.id;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists source_owners;
    alter table records drop column if exists submitted_by_id;
    drop index if exists batches_by_submitter;
    alter table batches drop column if exists submitted_by_id;
  `.execute(db);
}
