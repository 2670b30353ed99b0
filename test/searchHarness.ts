import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createSearchClient, type Db, type SearchClient } from '@nexus/actors';

/** The run's Elasticsearch node (test/globalSetup.ts starts it for suites under test/search/). */
export function elasticsearchUrl(): string {
  const url = inject('elasticsearchUrl');
  if (!url)
    throw new Error(
      'no Elasticsearch for this run: put the suite under a test/search/ folder, or set ELASTICSEARCH_URL',
    );
  return url;
}

/** An index alias of one suite, never seen by another. */
export function freshIndexName(): string {
  return `nexus-test-${randomBytes(5).toString('hex')}`;
}

export function testSearchClient(): SearchClient {
  return createSearchClient(elasticsearchUrl(), { requestTimeoutMs: 30_000 });
}

/** golden id -> version, of every document in the index. */
export async function indexedGoldenRecords(
  client: SearchClient,
  alias: string,
): Promise<Map<string, number>> {
  await client.indices.refresh({ index: alias });
  const result = await client.search({
    index: alias,
    size: 10_000,
    version: true,
    _source: false,
    query: { term: { status: 'active' } },
  });
  return new Map(result.hits.hits.map((h) => [h._id!, h._version ?? 0]));
}

/** golden id -> version, of every active golden record in Postgres. */
export async function activeGoldenRecords(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('golden_records')
    .select(['id', 'version'])
    .where('status', '=', 'active')
    .execute();
  return new Map(rows.map((r) => [r.id, r.version]));
}

export async function deleteIndices(client: SearchClient, alias: string): Promise<void> {
  await client.indices.delete({ index: `${alias}*` }).catch(() => undefined);
}
