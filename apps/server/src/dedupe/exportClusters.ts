import { sql } from 'kysely';
import { survivorChain, type Db } from '@nexus/actors';

export interface ClusterRow {
  source: string;
  external_id: string;
  customer_id: string;
  decision: string;
}

/**
 * Every record of these batches with the golden record it belongs to now (following merges), and its decision.
 * Streams in pages so that millions of records do not sit in memory.
 */
export async function* exportClusters(
  db: Db,
  batchIds: string[],
  pageSize = 5000,
): AsyncGenerator<ClusterRow> {
  let after = '';
  let afterSource = '';
  for (;;) {
    const rows = await db
      .selectFrom('records as r')
      .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select([
        'r.source',
        'r.external_id',
        'r.status',
        sql<string | null>`(with recursive ${survivorChain('chain', sql`select m.golden_id`)}
          select golden_id from chain limit 1)`.as('customer_id'),
      ])
      .where('r.batch_id', 'in', batchIds.length > 0 ? batchIds : ['00000000-0000-0000-0000-000000000000'])
      .where((eb) =>
        eb.or([
          eb('r.source', '>', afterSource),
          eb.and([eb('r.source', '=', afterSource), eb('r.external_id', '>', after)]),
        ]),
      )
      .orderBy('r.source')
      .orderBy('r.external_id')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      yield {
        source: r.source,
        external_id: r.external_id,
        customer_id: r.customer_id ?? '',
        decision: r.status,
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    afterSource = last.source;
    after = last.external_id;
  }
}
