import { appendAudit, goldenMergedInto, type Db } from '@nexus/actors';
import { activeGoldenId } from '../customers/customersRepository';
import { CustomerError } from '../customers/customerErrors';
import { contactFamilies } from './erasurePlan';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * An access request (GDPR art. 15): everything Nexus holds about a person, as one JSON document.
 * The person is a golden record (followed through merges) and its members; with them go their
 * decisions and explanations, review cases (theirs, and merge proposals naming the golden record),
 * the audit history of all of those, dead letters, face references and the /identify families
 * holding their emails or phones. The export itself is audited (who asked, not what was sent).
 */
export async function exportPerson(
  db: Db,
  customerId: string,
  actor: string,
  defaultCountry: string | undefined,
) {
  const exists = await db
    .selectFrom('golden_records')
    .select('id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!exists) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${customerId}`);
  const goldenId = await activeGoldenId(db, customerId);
  const golden = await db
    .selectFrom('golden_records')
    .selectAll()
    .where('id', '=', goldenId)
    .executeTakeFirstOrThrow();
  const merged = await goldenMergedInto(db, [goldenId]);
  const goldenIds = [goldenId, ...merged];
  const records = await db
    .selectFrom('golden_record_members as m')
    .innerJoin('records as r', 'r.id', 'm.record_id')
    .select([
      'r.id',
      'r.batch_id',
      'r.source',
      'r.external_id',
      'r.status',
      'r.payload',
      'r.normalised',
      'r.quality',
      'r.errors',
      'r.decision_rule',
      'r.explanation',
      'r.model_version',
      'r.received_at',
      'r.decided_at',
      'm.precedence',
      'm.link_score',
      'm.linked_at',
    ])
    .where('m.golden_id', '=', goldenId)
    .orderBy('m.linked_at')
    .execute();
  const ids = records.map((r) => r.id);
  const none = ids.length === 0;
  const cases = await db
    .selectFrom('review_cases as c')
    .selectAll('c')
    .where((eb) =>
      eb.or([
        ...(none ? [] : [eb('c.record_id', 'in', ids)]),
        eb.exists(
          eb
            .selectFrom('review_case_candidates as k')
            .select('k.case_id')
            .whereRef('k.case_id', '=', 'c.id')
            .where('k.golden_id', 'in', goldenIds)
            .where('c.kind', '=', 'merge_proposal'),
        ),
      ]),
    )
    .orderBy('c.created_at')
    .execute();
  const caseIds = cases.map((c) => c.id);
  const [candidates, history, faces, deadLetters, contactIds] = await Promise.all([
    caseIds.length === 0
      ? []
      : db.selectFrom('review_case_candidates').selectAll().where('case_id', 'in', caseIds).execute(),
    db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) =>
        eb.or([
          ...(none ? [] : [eb('record_id', 'in', ids)]),
          eb.and([eb('entity_type', '=', 'golden_record'), eb('entity_id', 'in', goldenIds)]),
          ...(caseIds.length
            ? [eb.and([eb('entity_type', '=', 'review_case'), eb('entity_id', 'in', caseIds)])]
            : []),
        ]),
      )
      .orderBy('id')
      .execute(),
    none ? [] : db.selectFrom('biometric_references').selectAll().where('reference_id', 'in', ids).execute(),
    none ? [] : db.selectFrom('dead_letters').selectAll().where('record_id', 'in', ids).execute(),
    contactFamilies(
      db,
      records.map((r) => r.payload),
      defaultCountry,
    ),
  ]);
  const contacts =
    contactIds.length === 0
      ? []
      : await db
          .selectFrom('contacts')
          .selectAll()
          .where((eb) => eb.or([eb('id', 'in', contactIds), eb('linked_id', 'in', contactIds)]))
          .orderBy('id')
          .execute();
  const document = {
    exportedAt: new Date().toISOString(),
    requestedCustomerId: customerId,
    goldenRecord: {
      id: golden.id,
      status: golden.status,
      best: golden.best,
      memberCount: golden.member_count,
      version: golden.version,
      createdAt: iso(golden.created_at),
      updatedAt: iso(golden.updated_at),
      mergedFrom: merged,
    },
    records: records.map((r) => ({
      recordId: r.id,
      batchId: r.batch_id,
      source: r.source,
      externalId: r.external_id,
      receivedAt: iso(r.received_at),
      payload: r.payload,
      normalised: r.normalised,
      quality: r.quality,
      warnings: r.errors,
      decision: {
        status: r.status,
        rule: r.decision_rule,
        decidedAt: iso(r.decided_at),
        modelVersion: r.model_version,
        explanation: r.explanation,
      },
      membership: { precedence: r.precedence, linkScore: r.link_score, linkedAt: iso(r.linked_at) },
    })),
    reviewCases: cases.map((c) => ({
      caseId: c.id,
      recordId: c.record_id,
      kind: c.kind,
      status: c.status,
      score: c.score,
      createdAt: iso(c.created_at),
      claimedBy: c.claimed_by,
      claimedAt: iso(c.claimed_at),
      resolvedBy: c.resolved_by,
      resolvedAt: iso(c.resolved_at),
      resolution: c.resolution,
      reason: c.reason,
      candidates: candidates
        .filter((k) => k.case_id === c.id)
        .map((k) => ({ goldenId: k.golden_id, score: k.score, explanation: k.explanation })),
    })),
    history: history.map((a) => ({
      id: String(a.id),
      at: iso(a.at),
      actor: a.actor,
      action: a.action,
      entityType: a.entity_type,
      entityId: a.entity_id,
      recordId: a.record_id,
      before: a.before,
      after: a.after,
    })),
    faceReferences: faces.map((f) => ({
      referenceId: f.reference_id,
      modality: f.modality,
      status: f.status,
      goldenId: f.golden_id,
      createdAt: iso(f.created_at),
      enrolledAt: iso(f.enrolled_at),
    })),
    deadLetters: deadLetters.map((d) => ({
      id: String(d.id),
      recordId: d.record_id,
      status: d.status,
      error: d.error,
      attempts: d.attempts,
      createdAt: iso(d.created_at),
      resolvedBy: d.resolved_by,
      resolvedAt: iso(d.resolved_at),
    })),
    contacts: contacts.map((c) => ({
      id: c.id,
      email: c.email,
      phoneNumber: c.phone_number,
      linkedId: c.linked_id,
      linkPrecedence: c.link_precedence,
      createdAt: iso(c.created_at),
      updatedAt: iso(c.updated_at),
      deletedAt: iso(c.deleted_at),
    })),
  };
  await appendAudit(db, [
    {
      actor,
      action: 'golden_record.exported',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: null,
      before: null,
      after: { records: records.length, reviewCases: cases.length, contacts: contacts.length },
    },
  ]);
  return document;
}
