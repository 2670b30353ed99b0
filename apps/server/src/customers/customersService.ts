import { sql } from 'kysely';
import { installedFieldCipher, type Db } from '@nexus/actors';
import { bestHoldsIdentifier, identifierSearchKeys } from './identifierSearch';
import type { RecordStatus } from '@nexus/schema';
import { inTransaction } from '../db/transactions';
import { CustomerError } from './customerErrors';
import { mergeGoldenRecords, splitGoldenRecord } from './mergeAndSplit';

export interface CustomerSearch {
  name?: string;
  /** YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY: compared by digits, as a prefix. */
  dateOfBirth?: string;
  /** National id, email or phone, exactly (email without case, phone by digits). */
  identifier?: string;
  limit: number;
}

export interface CustomerSummary {
  id: string;
  best: Record<string, unknown>;
  memberCount: number;
  version: number;
  updatedAt: string;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const digits = (s: string) => s.replace(/\D/g, '');

/** Active customers whose best values match every given criterion, most recently changed first. */
export async function searchCustomers(db: Db, s: CustomerSearch): Promise<CustomerSummary[]> {
  let q = db
    .selectFrom('golden_records')
    .select(['id', 'best', 'member_count', 'version', 'updated_at'])
    .where('status', '=', 'active')
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(s.limit);
  const names = (s.name ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 6);
  for (const token of names) {
    const pattern = `%${likeEscape(token)}%`;
    q = q.where(
      sql<boolean>`concat_ws(' ', best->>'given_name', best->>'middle_name', best->>'family_name', best->>'full_name') ilike ${pattern}`,
    );
  }
  const dob = digits(s.dateOfBirth ?? '');
  if (dob)
    q = q.where(
      sql<boolean>`regexp_replace(coalesce(best->>'date_of_birth', ''), '[^0-9]', '', 'g') like ${`${dob}%`}`,
    );
  const identifier = (s.identifier ?? '').trim();
  if (identifier && installedFieldCipher() !== undefined) {
    // Identifiers are encrypted at rest (0049): found through the members' blind indexes.
    const keys = identifierSearchKeys(identifier);
    if (keys.length === 0) return [];
    q = q.where('id', 'in', (eb) =>
      eb
        .selectFrom('golden_record_members as m')
        .innerJoin('blocking_keys as k', 'k.record_id', 'm.record_id')
        .select('m.golden_id')
        .where('k.key', 'in', keys),
    );
  } else if (identifier) {
    const phone = digits(identifier);
    q = q.where((eb) =>
      eb.or([
        eb(sql`best->>'national_id'`, '=', identifier),
        eb(sql`lower(best->>'email')`, '=', identifier.toLowerCase()),
        ...(phone.length >= 6
          ? [eb(sql`regexp_replace(coalesce(best->>'phone', ''), '[^0-9]', '', 'g')`, '=', phone)]
          : []),
      ]),
    );
  }
  const rows = (await q.execute()).filter(
    (g) => !identifier || installedFieldCipher() === undefined || bestHoldsIdentifier(g.best, identifier),
  );
  return rows.map((g) => ({
    id: g.id,
    best: g.best,
    memberCount: g.member_count,
    version: g.version,
    updatedAt: g.updated_at.toISOString(),
  }));
}

export interface CustomerView extends CustomerSummary {
  status: 'active' | 'merged' | 'erased';
  mergedInto: string | null;
  createdAt: string;
  members: Array<{
    recordId: string;
    source: string;
    externalId: string;
    status: RecordStatus;
    precedence: 'primary' | 'secondary';
    linkScore: number | null;
    linkedAt: string;
    payload: Record<string, unknown>;
  }>;
  /** Faces of the members enrolled (or being enrolled) in T5-ABIS; reference id = record id. */
  biometricReferences: BiometricReferenceView[];
  /** The golden record's own audit entries, and the review resolutions of its members, oldest first. */
  history: AuditView[];
  /** Every record the history names, members or not (a split-out one), as people know it. */
  historyRecords: Array<{ recordId: string; source: string; externalId: string }>;
}

export interface BiometricReferenceView {
  referenceId: string;
  modality: 'face';
  status: 'pending' | 'enrolled';
  createdAt: string;
  enrolledAt: string | null;
}

export interface AuditView {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  recordId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export async function getCustomer(db: Db, id: string): Promise<CustomerView> {
  const g = await db.selectFrom('golden_records').selectAll().where('id', '=', id).executeTakeFirst();
  if (!g) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${id}`);
  const members = await db
    .selectFrom('golden_record_members as m')
    .innerJoin('records as r', 'r.id', 'm.record_id')
    .select([
      'm.record_id',
      'm.precedence',
      'm.link_score',
      'm.linked_at',
      'r.source',
      'r.external_id',
      'r.status',
      'r.payload',
    ])
    .where('m.golden_id', '=', id)
    .orderBy('m.linked_at')
    .execute();
  const memberIds = members.map((m) => m.record_id);
  const [own, reviews, references] = await Promise.all([
    db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'golden_record')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute(),
    // A reviewer's decision about a member is part of how this person came to be (by audit_log_record).
    memberIds.length === 0
      ? []
      : db
          .selectFrom('audit_log')
          .selectAll()
          .where('record_id', 'in', memberIds)
          .where('action', '=', 'review_case.resolved')
          .orderBy('id')
          .execute(),
    // By member rather than by golden_id: a reference follows its record through merges and splits.
    memberIds.length === 0
      ? []
      : db
          .selectFrom('biometric_references')
          .select(['reference_id', 'modality', 'status', 'created_at', 'enrolled_at'])
          .where('reference_id', 'in', memberIds)
          .orderBy('created_at')
          .execute(),
  ]);
  const history = [...own, ...reviews].sort((a, b) => Number(a.id) - Number(b.id));
  const named = [...new Set(history.flatMap((h) => (h.record_id ? [h.record_id] : [])))];
  const historyRecords =
    named.length === 0
      ? []
      : await db
          .selectFrom('records')
          .select(['id', 'source', 'external_id'])
          .where('id', 'in', named)
          .execute();
  return {
    id: g.id,
    status: g.status,
    mergedInto: g.merged_into,
    best: g.best,
    memberCount: g.member_count,
    version: g.version,
    createdAt: g.created_at.toISOString(),
    updatedAt: g.updated_at.toISOString(),
    members: members.map((m) => ({
      recordId: m.record_id,
      source: m.source,
      externalId: m.external_id,
      status: m.status,
      precedence: m.precedence,
      linkScore: m.link_score,
      linkedAt: m.linked_at.toISOString(),
      payload: m.payload,
    })),
    biometricReferences: references.map((b) => ({
      referenceId: b.reference_id,
      modality: b.modality,
      status: b.status,
      createdAt: b.created_at.toISOString(),
      enrolledAt: b.enrolled_at?.toISOString() ?? null,
    })),
    history: history.map(toAuditView),
    historyRecords: historyRecords.map((r) => ({
      recordId: r.id,
      source: r.source,
      externalId: r.external_id,
    })),
  };
}

export function toAuditView(a: {
  id: string;
  at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  record_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}): AuditView {
  return {
    id: String(a.id),
    at: a.at.toISOString(),
    actor: a.actor,
    action: a.action,
    entityType: a.entity_type,
    entityId: a.entity_id,
    recordId: a.record_id,
    before: a.before,
    after: a.after,
  };
}

/** Merges `mergedId` into `survivorId` in one transaction. */
export async function mergeCustomers(
  db: Db,
  input: { survivorId: string; mergedId: string; reason: string },
  actor: string,
): Promise<CustomerView> {
  await inTransaction(db, (trx) =>
    mergeGoldenRecords(trx, {
      survivorId: input.survivorId,
      mergedIds: [input.mergedId],
      reason: input.reason,
      actor,
    }),
  );
  return getCustomer(db, input.survivorId);
}

/** Moves one member out into a new customer, in one transaction. */
export async function splitCustomer(
  db: Db,
  input: { customerId: string; recordId: string; reason: string },
  actor: string,
): Promise<{ customer: CustomerView; newCustomer: CustomerView }> {
  const { newGoldenId } = await inTransaction(db, (trx) =>
    splitGoldenRecord(trx, {
      goldenId: input.customerId,
      recordId: input.recordId,
      reason: input.reason,
      actor,
    }),
  );
  return {
    customer: await getCustomer(db, input.customerId),
    newCustomer: await getCustomer(db, newGoldenId),
  };
}
