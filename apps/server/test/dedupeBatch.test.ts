/**
 * `nexus dedupe` as a batch job (docs/decisions/0045-dedupe-as-a-batch-job.md) must decide as the
 * stream decides the same file in order on one partition, and leave the same rows: the same file
 * is decided twice, on two databases, once by the batch job and once by the engine (relay,
 * partition actor, worker thread, one transaction per record), and everything a reviewer, the
 * export or the audit reads is compared.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { decideStoredRecords, loadActiveModel, type Db } from '@nexus/actors';
import { learnFromInput } from '../src/dedupe/learnFromInput';
import { loadAndDecide, loadRecords, type DedupeInput } from '../src/dedupe/runDedupe';
import { startTestEngine } from '../../../test/engineHarness';
import { sharedDataDir } from '../../../test/sharedData';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

/** What a decided register looks like from outside, with the ids that differ between runs replaced. */
async function register(db: Db) {
  const records = await sql<{
    external_id: string;
    status: string;
    decision_rule: string | null;
    cluster: string | null;
    best: Record<string, string> | null;
    member_count: number | null;
    version: number | null;
    precedence: string | null;
    link_score: number | null;
  }>`select r.external_id, r.status, r.decision_rule, g.id as cluster, g.best, g.member_count, g.version,
       m.precedence, m.link_score
     from records r left join golden_record_members m on m.record_id = r.id
     left join golden_records g on g.id = m.golden_id
     order by r.id`.execute(db);
  // A golden record is named by its first member's external id (the ids themselves are random).
  const firstMember = new Map<string, string>();
  for (const r of records.rows)
    if (r.cluster && !firstMember.has(r.cluster)) firstMember.set(r.cluster, r.external_id);
  const decisions = records.rows.map((r) => ({
    ...r,
    cluster: r.cluster ? firstMember.get(r.cluster) : null,
    link_score: r.link_score === null ? null : Math.round(r.link_score * 1e6),
  }));
  const count = async (query: ReturnType<typeof sql<{ key: string; n: string }>>) =>
    Object.fromEntries((await query.execute(db)).rows.map((r) => [r.key, Number(r.n)]));
  return {
    decisions,
    audit: await count(
      sql`select action || ' ' || entity_type as key, count(*) as n from audit_log group by 1`,
    ),
    cases: await count(sql`select kind as key, count(*) as n from review_cases group by 1`),
    caseCandidates: await count(
      sql`select c.kind as key, count(*) as n from review_case_candidates cc join review_cases c on c.id = cc.case_id group by 1`,
    ),
    keys: await count(sql`select 'blocking keys' as key, count(*) as n from blocking_keys`),
    modelVersions: await count(sql`select 'decided by the active model' as key, count(*) as n
      from records r join model_versions v on v.id = r.model_version and v.active`),
  };
}

describe('nexus dedupe as a batch job', () => {
  it('decides fake_1000 as the stream does on one partition, row for row', async () => {
    const input: DedupeInput = {
      files: [path.join(sharedDataDir(), 'splink/fake_1000.csv')],
      source: 'fake_1000',
      map: {
        unique_id: 'external_id',
        first_name: 'given_name',
        surname: 'family_name',
        dob: 'date_of_birth',
        cluster: '-',
      },
    };
    const quiet = { onProblem: () => undefined, onProgress: () => undefined };

    const batchDb = await createTestDatabase();
    databases.push(batchDb);
    await learnFromInput(batchDb.db, input);
    const loaded = await loadRecords(batchDb.db, 1, input, quiet);
    // Pages of 300: golden records made in one page gain members in later ones, and a page is
    // written while the next is decided.
    const pages: number[] = [];
    const decided = await decideStoredRecords(batchDb.db, loaded.batchIds, {
      model: await loadActiveModel(batchDb.db),
      pageSize: 300,
      onProgress: (n) => pages.push(n),
    });
    expect(pages.at(-1)).toBe(decided);
    expect(loaded.stored).toBeGreaterThan(990);
    expect(decided).toBe(loaded.stored);

    const streamDb = await createTestDatabase();
    databases.push(streamDb);
    await learnFromInput(streamDb.db, input);
    const engine = await startTestEngine(streamDb, { NEXUS_PARTITIONS: 1, NEXUS_WORKERS: 1 });
    try {
      await loadAndDecide(streamDb.db, engine, input, quiet);
    } finally {
      await engine.stop();
    }

    const batch = await register(batchDb.db);
    const stream = await register(streamDb.db);
    // The set has links, reviews and merge proposals, so each kind of write is compared.
    expect(batch.decisions.filter((d) => d.status === 'linked').length).toBeGreaterThan(100);
    expect(batch.cases.possible_match ?? 0).toBeGreaterThan(0);
    expect(batch.decisions).toEqual(stream.decisions);
    expect(batch.audit).toEqual(stream.audit);
    expect(batch.cases).toEqual(stream.cases);
    expect(batch.caseCandidates).toEqual(stream.caseCandidates);
    expect(batch.keys).toEqual(stream.keys);
    expect(batch.modelVersions).toEqual(stream.modelVersions);
    const batches = await sql<{ status: string }>`select status from batches`.execute(batchDb.db);
    expect(batches.rows.map((b) => b.status)).toEqual(['completed']);
  }, 600_000);
});
