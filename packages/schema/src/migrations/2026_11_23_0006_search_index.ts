import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Candidate search in Elasticsearch (docs/decisions/0014-elasticsearch-candidate-search.md):
 * the indexer finds changed golden records by updated_at, and search_index_state keeps, per
 * index, the time before which every golden record change is searchable there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index golden_records_updated_at on golden_records (updated_at);
    create table search_index_state (
      index_name text primary key,
      synced_through timestamptz not null default '-infinity',
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists search_index_state;
    drop index if exists golden_records_updated_at;
  `.execute(db);
}
