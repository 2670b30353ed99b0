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

/**
 * What the audit log says of a golden record's best values: the names of its fields, never the
 * values (issue 18: an erased person's values must not survive in an append-only log). The
 * values of the moment live in golden_records and its members; the log says what changed.
 */
export function bestFields(best: Record<string, unknown>): { fields: string[] } {
  return { fields: Object.keys(best).sort() };
}

/** The fields whose best value differs between before and after (added, removed or changed). */
export function changedBestFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown>,
): { fields: string[]; changedFields: string[] } {
  const was = before ?? {};
  const keys = [...new Set([...Object.keys(was), ...Object.keys(after)])].sort();
  return {
    fields: Object.keys(after).sort(),
    changedFields: keys.filter((k) => JSON.stringify(was[k]) !== JSON.stringify(after[k])),
  };
}
