import pg from 'pg';
import { sql } from 'kysely';
import {
  RAW_RECORDS_TOPIC,
  partitionFor,
  rawRecordMessageSchema,
  type RawRecordMessage,
} from '@nexus/schema';
import type { Db } from '../db/database';
import type { BusConsumer, BusMessage, RecordBus } from './recordBus';
import { sealPersonal } from '../privacy/personalFields';

const CHANNEL = 'nexus_bus';

/**
 * The record bus as a partitioned log in Postgres. Offsets are handed out under the partition
 * row's lock, so they become visible in offset order and a reader never skips a late commit.
 */
export class PostgresRecordBus implements RecordBus {
  private constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    readonly partitions: number,
    private readonly topic: string,
  ) {}

  static async open(db: Db, databaseUrl: string, partitions: number, topic = RAW_RECORDS_TOPIC) {
    const existing = await db
      .selectFrom('bus_partitions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('topic', '=', topic)
      .executeTakeFirstOrThrow();
    const known = Number(existing.n);
    if (known > partitions) {
      throw new Error(
        `the record bus already has ${known} partitions for ${topic}; NEXUS_PARTITIONS=${partitions} cannot shrink it`,
      );
    }
    const rows = Array.from({ length: partitions }, (_, partition) => ({
      topic,
      partition,
      next_offset: '0',
    }));
    await db
      .insertInto('bus_partitions')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
    return new PostgresRecordBus(db, databaseUrl, partitions, topic);
  }

  async publish(messages: Array<{ key: string; value: RawRecordMessage }>): Promise<void> {
    if (messages.length === 0) return;
    const byPartition = new Map<number, Array<{ key: string; value: RawRecordMessage }>>();
    for (const m of messages) {
      const p = partitionFor(m.key, this.partitions);
      const list = byPartition.get(p) ?? [];
      list.push(m);
      byPartition.set(p, list);
    }
    // Partitions in ascending order: two publishers never wait on each other in a cycle.
    const ordered = [...byPartition.entries()].sort((a, b) => a[0] - b[0]);
    const partitions = ordered.map(([partition]) => partition);
    const counts = ordered.map(([p, list]) => ({ p, n: list.length }));
    const rows = ordered.flatMap(([p, list]) =>
      list.map((m, i) => ({ p, i, key: m.key, payload: sealPersonal(m.value) })),
    );
    // Four round trips whatever the partitions, not three per partition: at a steady pace the
    // relay publishes a few records over several partitions at a time (docs/decisions/0058).
    await this.db.transaction().execute(async (trx) => {
      await sql`
        select partition from bus_partitions
        where topic = ${this.topic} and partition = any(${partitions}::int[])
        order by partition for update`.execute(trx);
      // Offsets are handed out under those row locks, so they become visible in offset order.
      await sql`
        with c as (select * from jsonb_to_recordset(${JSON.stringify(counts)}::jsonb) as c(p int, n int)),
        bumped as (
          update bus_partitions b set next_offset = b.next_offset + c.n from c
          where b.topic = ${this.topic} and b.partition = c.p
          returning b.partition, b.next_offset - c.n as first),
        m as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
              as m(p int, i int, key text, payload jsonb)),
        written as (
          insert into bus_messages (topic, partition, msg_offset, key, payload)
          select ${this.topic}, m.p, bumped.first + m.i, m.key, m.payload
          from m join bumped on bumped.partition = m.p)
        select pg_notify(${CHANNEL}, ${this.topic}::text || ':' || partition) from bumped`.execute(trx);
    });
  }

  async openConsumer(groupId: string): Promise<BusConsumer> {
    const consumer = new PostgresBusConsumer(this.db, this.databaseUrl, this.partitions, this.topic, groupId);
    await consumer.connect();
    return consumer;
  }

  /** Drops messages every known consumer group has committed past. */
  async truncateCommitted(): Promise<number> {
    const result = await sql`
      delete from bus_messages m
      using (select partition, min(next_offset) as upto from bus_consumer_positions
             where topic = ${this.topic} group by partition) p
      where m.topic = ${this.topic} and m.partition = p.partition and m.msg_offset < p.upto`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class PostgresBusConsumer implements BusConsumer {
  private client: pg.Client | undefined;
  private readonly owned = new Set<number>();
  private readonly waiters = new Map<number, Set<() => void>>();
  /**
   * Notifications seen per partition. A fetch compares the count before and after its read: one
   * that arrived while the read ran may be for a row the read's snapshot missed, so it reads
   * again at once instead of waiting out `waitMs` for a notification that already came.
   */
  private readonly notified = new Map<number, number>();
  private ownershipListener: (() => void) | undefined;
  private closed = false;
  /**
   * The consumer's one connection takes one query at a time. The supervisor releases a partition
   * while it claims others: overlapping queries made pg warn ("already executing a query"), and
   * pg 9 refuses them, so they go in turn.
   */
  private turn: Promise<unknown> = Promise.resolve();

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  constructor(
    private readonly db: Db,
    private readonly databaseUrl: string,
    private readonly partitions: number,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'nexus-bus-consumer',
    });
    client.on('error', () => this.lostConnection(client));
    client.on('end', () => this.lostConnection(client));
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      const [topic, p] = n.payload.split(':');
      if (topic !== this.topic) return;
      const partition = Number(p);
      this.notified.set(partition, (this.notified.get(partition) ?? 0) + 1);
      this.wake(partition);
    });
    await client.connect();
    await client.query(`listen ${CHANNEL}`);
    this.client = client;
  }

  private lostConnection(client: pg.Client) {
    if (this.client !== client) return;
    // Session advisory locks died with the connection: another process may own these partitions now.
    this.client = undefined;
    this.owned.clear();
    for (const p of this.waiters.keys()) this.wake(p);
    this.ownershipListener?.();
  }

  onOwnershipChange(listener: () => void): void {
    this.ownershipListener = listener;
  }

  async release(partition: number): Promise<void> {
    if (!this.owned.delete(partition)) return;
    const client = this.client;
    await this.inTurn(async () =>
      client?.query('select pg_advisory_unlock(hashtext($1), $2)', [
        `${this.groupId}:${this.topic}`,
        partition,
      ]),
    ).catch(() => undefined);
  }

  private wake(partition: number) {
    const set = this.waiters.get(partition);
    if (!set) return;
    this.waiters.delete(partition);
    for (const w of set) w();
  }

  async claimPartitions(): Promise<number[]> {
    if (this.closed) return [];
    if (!this.client) await this.connect();
    const client = this.client;
    if (!client) throw new Error('the record bus lost its connection while claiming partitions');
    return this.inTurn(async () => {
      for (let p = 0; p < this.partitions; p++) {
        if (this.owned.has(p)) continue;
        const res = await client.query<{ ok: boolean }>(
          'select pg_try_advisory_lock(hashtext($1), $2) as ok',
          [`${this.groupId}:${this.topic}`, p],
        );
        if (res.rows[0]?.ok) this.owned.add(p);
      }
      return [...this.owned].sort((a, b) => a - b);
    });
  }

  async position(partition: number): Promise<number> {
    const row = await this.db
      .selectFrom('bus_consumer_positions')
      .select('next_offset')
      .where('group_id', '=', this.groupId)
      .where('topic', '=', this.topic)
      .where('partition', '=', partition)
      .executeTakeFirst();
    return row ? Number(row.next_offset) : 0;
  }

  async fetch(partition: number, fromOffset: number, max: number, waitMs: number): Promise<BusMessage[]> {
    const read = async () =>
      this.db
        .selectFrom('bus_messages')
        .select(['msg_offset', 'key', 'payload'])
        .where('topic', '=', this.topic)
        .where('partition', '=', partition)
        .where('msg_offset', '>=', String(fromOffset))
        .orderBy('msg_offset')
        .limit(max)
        .execute();
    const seen = this.notified.get(partition) ?? 0;
    let rows = await read();
    if (rows.length === 0 && (this.notified.get(partition) ?? 0) !== seen) rows = await read();
    if (rows.length === 0 && waitMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, waitMs);
        const set = this.waiters.get(partition) ?? new Set();
        set.add(done);
        this.waiters.set(partition, set);
        function done() {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        }
      });
      rows = await read();
    }
    return rows.map((r) => ({
      partition,
      offset: Number(r.msg_offset),
      key: r.key,
      value: rawRecordMessageSchema.parse(r.payload),
    }));
  }

  async commit(partition: number, nextOffset: number): Promise<void> {
    await this.db
      .insertInto('bus_consumer_positions')
      .values({ group_id: this.groupId, topic: this.topic, partition, next_offset: String(nextOffset) })
      .onConflict((oc) =>
        oc.columns(['group_id', 'topic', 'partition']).doUpdateSet({
          next_offset: sql`greatest(bus_consumer_positions.next_offset, excluded.next_offset)`,
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }

  async lag(): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('bus_partitions as p')
      .leftJoin('bus_consumer_positions as c', (j) =>
        j
          .onRef('c.topic', '=', 'p.topic')
          .onRef('c.partition', '=', 'p.partition')
          .on('c.group_id', '=', this.groupId),
      )
      .select(['p.partition', 'p.next_offset as end', 'c.next_offset as position'])
      .where('p.topic', '=', this.topic)
      .execute();
    return new Map(rows.map((r) => [r.partition, Number(r.end) - Number(r.position ?? 0)]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.waiters.keys()]) this.wake(p);
    const client = this.client;
    this.client = undefined;
    this.owned.clear();
    if (client) await client.end().catch(() => undefined);
  }
}
