import { Client } from '@elastic/elasticsearch';

/**
 * An Elasticsearch client that fails fast: a decision must not wait long on a node that is
 * down, since Postgres can answer instead. (The local node has no `GET /`: check it with
 * cluster health, never ping/info.)
 */
export function createSearchClient(url: string, options: { requestTimeoutMs?: number } = {}): Client {
  return new Client({ node: url, requestTimeout: options.requestTimeoutMs ?? 2000, maxRetries: 0 });
}

export async function searchHealth(client: Client): Promise<{ ok: boolean; detail: string }> {
  try {
    const health = await client.cluster.health({ timeout: '1s' }, { requestTimeout: 1500 });
    return { ok: health.status !== 'red', detail: `cluster ${health.status}` };
  } catch (error) {
    return { ok: false, detail: `unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}
export type { Client as SearchClient } from '@elastic/elasticsearch';
