import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Merge proposals of golden records (docs/decisions/0021-merge-proposals-of-golden-records.md):
 * a record that matches several golden records links to the best and proposes that they merge,
 * as a case of its own with no record. The key (their ids, sorted) makes one proposal per set:
 * the next records of that person find it there, and a proposal a reviewer turned down is not
 * made again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table review_cases add column proposal_key text;
    create unique index review_cases_one_per_proposal on review_cases (proposal_key) where proposal_key is not null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop index if exists review_cases_one_per_proposal;
    alter table review_cases drop column if exists proposal_key;
  `.execute(db);
}
