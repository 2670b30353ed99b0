import {
  createSearchClient,
  type ActorSupervisor,
  indexLagSeconds,
  searchHealth,
  startSearchIndexer,
  type Db,
  type SearchClient,
  type SearchIndexer,
} from '@nexus/actors';

export interface EngineSearch {
  client: SearchClient;
  index: string;
  indexer: SearchIndexer;
  health(): Promise<{ ok: boolean; detail: string }>;
  stop(): Promise<void>;
}

/**
 * The main thread's side of Elasticsearch candidate search: the indexer that keeps the golden
 * record index in step with Postgres, woken after each decision. The worker threads query the
 * index themselves, and fall back to Postgres when it does not answer.
 */
export function startEngineSearch(
  db: Db,
  url: string,
  index: string,
  supervisor: ActorSupervisor,
): EngineSearch {
  const client = createSearchClient(url, { requestTimeoutMs: 10_000 });
  const indexer = startSearchIndexer(db, client, index);
  const kick = () => indexer.kick();
  supervisor.on('outcome', kick);
  return {
    client,
    index,
    indexer,
    health: async () => {
      const node = await searchHealth(client);
      if (!node.ok) return { ok: false, detail: `${node.detail}; candidate search falls back to Postgres` };
      const error = indexer.lastError();
      if (error)
        return {
          ok: false,
          detail: `indexing failed: ${error}; candidate search reads Postgres for recent changes`,
        };
      const lag = await indexLagSeconds(db, index).catch(() => null);
      return {
        ok: true,
        detail: `${node.detail}, index ${lag === null ? 'not synced yet' : `${lag.toFixed(1)} s behind`}`,
      };
    },
    stop: async () => {
      supervisor.off('outcome', kick);
      await indexer.stop();
      await client.close();
    },
  };
}
