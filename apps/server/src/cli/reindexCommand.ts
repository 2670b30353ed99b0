import type { Command } from 'commander';
import { createDb, createSearchClient, migrateToLatest, reindexSearch } from '@nexus/actors';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';

export class SearchNotConfiguredError extends Error {
  readonly code = 'SEARCH.NOT_CONFIGURED';
}

/**
 * `nexus reindex`: rebuilds the Elasticsearch golden record index from Postgres (after a crash
 * between a commit and its indexing, a mapping change, a lost index) and swaps it in. Running
 * engines go on deciding meanwhile; they read what changed during the rebuild from Postgres.
 */
export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description('rebuild the Elasticsearch index of golden records from Postgres (ELASTICSEARCH_URL)')
    .option('--database-url <url>', 'Postgres to read (default: DATABASE_URL or the embedded one)')
    .option('--elasticsearch-url <url>', 'Elasticsearch to write (default: ELASTICSEARCH_URL)')
    .option('--index <alias>', 'index alias (default: NEXUS_SEARCH_INDEX)')
    .action(async (opts: { databaseUrl?: string; elasticsearchUrl?: string; index?: string }) => {
      const config = loadConfig();
      const url = opts.elasticsearchUrl ?? config.ELASTICSEARCH_URL;
      if (!url)
        throw new SearchNotConfiguredError(
          'set ELASTICSEARCH_URL or --elasticsearch-url: candidate search is in Postgres',
        );
      const alias = opts.index ?? config.NEXUS_SEARCH_INDEX;
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 2, applicationName: 'nexus-reindex' });
      const client = createSearchClient(url, { requestTimeoutMs: 60_000 });
      try {
        await migrateToLatest(db);
        const started = performance.now();
        const result = await reindexSearch(db, client, alias, (n) => {
          if (process.stderr.isTTY) process.stderr.write(`\rindexed ${n} golden records`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `${JSON.stringify({ alias, index: result.index, documents: result.documents, seconds: Number(seconds.toFixed(2)) })}\n`,
        );
      } finally {
        await client.close();
        await db.destroy();
        await postgres.stop();
      }
    });
}
