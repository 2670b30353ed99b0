import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { toAuditView, type AuditView } from '../customers/customersService';
import { parseEventId } from './followRing';
import { Waker } from './wake';

export interface AuditTailOptions {
  /** Resume after this audit id; absent: from now on. */
  lastEventId?: string | null;
  signal?: AbortSignal;
  /** Attaches a listener that says "there may be new entries"; returns its detach. */
  onActivity: (listener: () => void) => () => void;
  /** Only entries this accepts are yielded (all are read, to follow the ids without gaps). */
  accept?: (entry: AuditView) => boolean;
  pollMs?: number;
  /** How long a hole in the ids may stay open before it is taken for a rolled-back insert. */
  gapWaitMs?: number;
}

const PAGE = 500;

type AuditRow = Parameters<typeof toAuditView>[0];

/**
 * Follows the audit log in id order, exactly once per entry across reconnects. Ids are handed out
 * when a transaction inserts, not when it commits: a hole in the ids may be a transaction that
 * has not committed yet, so the tail stops at a hole until it fills, or for at most `gapWaitMs`
 * (then the hole was a rollback). The activity listener is attached before the backlog is read.
 */
export async function* tailAudit(db: Db, o: AuditTailOptions): AsyncGenerator<AuditView> {
  const waker = new Waker();
  const detach = o.onActivity(waker.wake);
  const pollMs = o.pollMs ?? 1000;
  const gapWaitMs = o.gapWaitMs ?? 2000;
  try {
    let last: number =
      parseEventId(o.lastEventId) ??
      Number(
        (await sql<{ max: string | null }>`select max(id) as max from audit_log`.execute(db)).rows[0]?.max ??
          0,
      );
    let gapSince: number | undefined;
    while (!o.signal?.aborted) {
      const rows: AuditRow[] = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('id', '>', String(last))
        .orderBy('id')
        .limit(PAGE)
        .execute();
      let blocked = false;
      for (const row of rows) {
        const id = Number(row.id);
        if (id !== last + 1) {
          gapSince ??= Date.now();
          if (Date.now() - gapSince < gapWaitMs) {
            blocked = true;
            break;
          }
        }
        gapSince = undefined;
        last = id;
        const entry = toAuditView(row);
        if (!o.accept || o.accept(entry)) yield entry;
      }
      if (rows.length === PAGE && !blocked) continue;
      await waker.wait(blocked ? Math.min(pollMs, 200) : pollMs, o.signal);
    }
  } finally {
    detach();
  }
}
