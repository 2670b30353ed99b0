import type { NewAuditEntry } from '@nexus/schema';
import type { Db } from '../db/database';

export const ENGINE_ACTOR = 'engine';

export type AuditEntry = Omit<NewAuditEntry, 'before' | 'after' | 'at'> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** Invariant 6: every change to a golden record or a case is appended here, in the same transaction. */
export async function appendAudit(trx: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        ...e,
        before: e.before === null ? null : (JSON.stringify(e.before) as never),
        after: e.after === null ? null : (JSON.stringify(e.after) as never),
      })),
    )
    .execute();
}
