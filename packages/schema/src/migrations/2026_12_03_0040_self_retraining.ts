import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Self-retraining (docs/decisions/0040-self-retraining.md). A model version says what made it
 * (`trigger`: the server's first records, the register's growth, an admin's request), how many
 * decided records it learned from, how it and the model then active fared on the held-back sample
 * (`evaluation`), and the verdict of that check: `accepted` (it became active) or `rejected` (it
 * was worse, and stays stored but inactive). Versions made outside the check (the shipped
 * defaults, `nexus train`, `nexus dedupe`) keep all three empty.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table model_versions
      add column trigger text check (trigger in ('first_records', 'growth', 'on_demand')),
      add column record_count integer,
      add column evaluation jsonb,
      add column verdict text check (verdict in ('accepted', 'rejected'));
    create index model_versions_retrained on model_versions (id) where trigger is not null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index if exists model_versions_retrained;
    alter table model_versions
      drop column trigger, drop column record_count, drop column evaluation, drop column verdict;
  `.execute(db);
}
