import type { Db } from '@nexus/actors';
import { toAuditView, type AuditView } from '../customers/customersService';
import { required } from '@nexus/schema';

export type { AuditView };

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  recordId?: string;
  actor?: string;
  /** An exact action, or a prefix ending in `.` (e.g. `golden_record.`). */
  action?: string;
  since?: string;
  until?: string;
  /** Entries older than this id (the previous page's nextCursor). */
  cursor?: string;
  limit: number;
}

/** The append-only audit log, newest first. */
export async function listAudit(
  db: Db,
  f: AuditFilter,
): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.entityType) q = q.where('entity_type', '=', f.entityType as never);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.recordId) q = q.where('record_id', '=', f.recordId);
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.action) {
    q = f.action.endsWith('.')
      ? q.where('action', 'like', `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      : q.where('action', '=', f.action);
  }
  if (f.since) q = q.where('at', '>=', new Date(f.since));
  if (f.until) q = q.where('at', '<', new Date(f.until));
  if (f.cursor) q = q.where('id', '<', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return {
    items: page.map(toAuditView),
    nextCursor:
      rows.length > f.limit ? String(required(page.at(-1), 'listAudit: last entry of a full page').id) : null,
  };
}
