import pg from 'pg';

/**
 * Which process may run a partition's actor, fenced in Postgres: a session advisory lock per
 * (namespace, partition), held on one dedicated connection. Kafka's group protocol says who
 * *should* own a partition; this lease says the previous owner has really stopped (its task in
 * flight finished, its position committed) before the next one starts. A process that dies loses
 * its connection and with it its leases, at once.
 */
export class PartitionLeases {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly held = new Set<number>();
  private closed = false;
  /**
   * A rebalance can revoke (release) while an assignment still acquires: two queries at once on
   * one connection, which pg warns about and pg 9 refuses, so they go in turn.
   */
  private turn: Promise<unknown> = Promise.resolve();

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  constructor(
    private readonly databaseUrl: string,
    private readonly namespace: string,
    private readonly onLost: () => void,
  ) {}

  /** Partitions held now. */
  get owned(): ReadonlySet<number> {
    return this.held;
  }

  /** Tries to take each partition (never waits); returns those held afterwards. */
  async acquire(partitions: Iterable<number>): Promise<Set<number>> {
    if (this.closed) return new Set();
    const client = await this.connect();
    return this.inTurn(async () => {
      for (const p of partitions) {
        if (this.held.has(p)) continue;
        const res = await client.query<{ ok: boolean }>(
          'select pg_try_advisory_lock(hashtext($1), $2) as ok',
          [this.namespace, p],
        );
        if (res.rows[0]?.ok === true) this.held.add(p);
      }
      return new Set(this.held);
    });
  }

  async release(partition: number): Promise<void> {
    if (!this.held.delete(partition)) return;
    await this.inTurn(async () => {
      await this.client
        ?.query('select pg_advisory_unlock(hashtext($1), $2)', [this.namespace, partition])
        .catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({
        connectionString: this.databaseUrl,
        application_name: 'nexus-partition-leases',
      });
      const lost = () => {
        if (this.client !== client) return;
        this.client = undefined;
        this.held.clear();
        this.onLost();
      };
      client.on('error', lost);
      client.on('end', lost);
      await client.connect();
      this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}
