import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { Principal } from '../auth/roles';
import { AccessError } from './accessErrors';
import { required } from '@nexus/schema';

/** Who read, in the request that read: a procedure's or a REST route's context. */
export interface AccessContext {
  deps: { db: Db };
  principal: Principal | null;
  requestId: string;
}

export type AccessSubject =
  'record' | 'golden_record' | 'review_case' | 'face' | 'search' | 'contact' | 'batch' | 'export' | 'reveal';

export interface AccessEntry {
  /** `customer.get` style: the procedure or route that read. */
  action: string;
  subjectType: AccessSubject;
  subjectId: string;
  /** Golden records whose values the answer carried. */
  customerIds?: readonly string[];
  /** Records whose values the answer carried. */
  recordIds?: readonly string[];
  reason?: string | undefined;
}

/**
 * Records one read of a person's data: one insert, awaited in the request that read, so no answer
 * leaves without its record (a failed insert fails the request). Anonymous calls never reach a
 * person's data; when one would, nothing is recorded for it rather than a made-up caller.
 */
export async function recordAccess(ctx: AccessContext, entry: AccessEntry): Promise<void> {
  const p = ctx.principal;
  if (!p) return;
  await ctx.deps.db
    .insertInto('access_records')
    .values({
      user_id: p.userId,
      username: p.username,
      role: p.role,
      principal_kind: p.kind,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      customer_ids: uniqueIds(entry.customerIds),
      record_ids: uniqueIds(entry.recordIds),
      reason: entry.reason ?? null,
      request_id: ctx.requestId,
    })
    .execute();
}

function uniqueIds(ids: readonly string[] | undefined): string[] {
  return ids ? [...new Set(ids)] : [];
}

/**
 * A person (signed in) searching for people outside the review queue says why. Service accounts
 * search for the records they sent, by their own ids: their reads are recorded without a reason.
 */
export function requireReason(principal: Principal | null, reason: string | undefined, what: string): void {
  if (principal?.kind === 'service') return;
  if (!reason)
    throw new AccessError(
      'ACCESS.REASON_REQUIRED',
      `${what} reads people's data outside the review queue: give a reason (at least 3 characters)`,
    );
}

export interface AccessRecordView {
  id: string;
  at: string;
  username: string;
  role: string;
  /** `person` (signed in) or `service` (an API key). */
  kind: string;
  action: string;
  subjectType: string;
  subjectId: string;
  customerIds: string[];
  recordIds: string[];
  reason: string | null;
  requestId: string | null;
}

export interface AccessTrailQuery {
  customerId?: string | undefined;
  username?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The trail, newest first: of one person (reads naming the golden record, one of its members now,
 * or a batch that holds one of them), of one account, or of everyone.
 */
export async function accessTrail(
  db: Db,
  query: AccessTrailQuery,
): Promise<{ entries: AccessRecordView[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('access_records')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.username) q = q.where('username', '=', query.username);
  if (query.cursor) q = q.where('id', '<', query.cursor);
  if (query.customerId) {
    const customerId = query.customerId;
    const members = sql<
      string[]
    >`array(select record_id from golden_record_members where golden_id = ${customerId})`;
    q = q.where((eb) =>
      eb.or([
        eb('customer_ids', '@>', sql<string[]>`array[${customerId}]::uuid[]`),
        eb('record_ids', '&&', members),
        eb.and([
          eb('subject_type', '=', 'batch'),
          eb(
            'subject_id',
            'in',
            sql<string>`(select r.batch_id::text from records r join golden_record_members m on m.record_id = r.id where m.golden_id = ${customerId} and r.batch_id is not null)`,
          ),
        ]),
      ]),
    );
  }
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((r) => ({
      id: String(r.id),
      at: r.at.toISOString(),
      username: r.username,
      role: r.role,
      kind: r.principal_kind,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      customerIds: r.customer_ids,
      recordIds: r.record_ids,
      reason: r.reason,
      requestId: r.request_id,
    })),
    nextCursor:
      rows.length > query.limit
        ? String(required(page.at(-1), 'access records: last of a full page').id)
        : null,
  };
}
