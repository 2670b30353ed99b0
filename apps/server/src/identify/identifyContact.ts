import { appendAudit, type AuditEntry, type Db } from '@nexus/actors';
import type { IdentifiedContact } from '@nexus/schema';
import { contactAnswer } from './contactAnswer';
import {
  demoteFamily,
  familiesHolding,
  insertContact,
  lockContactValues,
  lockPrimaries,
  primaryOf,
  type ContactRow,
} from './contactsRepository';
import type { ContactRequest } from './contactValues';
import { withContactRetry } from './contactRetry';

export interface IdentifyResult {
  contact: IdentifiedContact;
  created: number;
  joined: number;
}

/** Rounds of "read the families, lock their primaries" before giving up (each round follows a concurrent join). */
const MAX_LOCK_ROUNDS = 16;

const keysOf = (r: ContactRequest) => ({ emailKey: r.email?.key ?? null, phoneKey: r.phone?.key ?? null });

/** Does one family already hold every value of the request? Then the answer needs no write. */
function knownFamily(rows: readonly ContactRow[], r: ContactRequest): ContactRow[] | null {
  const primaries = new Set(rows.map(primaryOf));
  if (primaries.size !== 1) return null;
  if (r.email && !rows.some((c) => c.emailKey === r.email!.key)) return null;
  if (r.phone && !rows.some((c) => c.phoneKey === r.phone!.key)) return null;
  return [...rows];
}

/**
 * `/identify` (docs/decisions/0029-identify-contact-reconciliation.md). A request whose values one
 * family already holds is answered from one read, without locks. Otherwise, in one transaction:
 * lock the values, read the families that hold them, lock their primaries (again after a
 * concurrent join moved them), then create a primary, join families under the oldest primary,
 * and add a secondary when the request brings a value the family lacks. Every change is audited.
 */
export async function identifyContact(
  db: Db,
  request: ContactRequest,
  actor: string,
): Promise<IdentifyResult> {
  const known = knownFamily(await familiesHolding(db, keysOf(request)), request);
  if (known) return { contact: contactAnswer(known), created: 0, joined: 0 };
  return withContactRetry(() => db.transaction().execute((trx) => reconcile(trx, request, actor)));
}

async function reconcile(trx: Db, request: ContactRequest, actor: string): Promise<IdentifyResult> {
  const keys = keysOf(request);
  await lockContactValues(trx, [
    ...(keys.emailKey === null ? [] : [`e:${keys.emailKey}`]),
    ...(keys.phoneKey === null ? [] : [`p:${keys.phoneKey}`]),
  ]);
  const rows = await lockedFamilies(trx, keys);
  const audit: AuditEntry[] = [];
  const entry = (action: string, contactId: number, before: object | null, after: object | null) =>
    audit.push({
      actor,
      action,
      entity_type: 'contact',
      entity_id: String(contactId),
      record_id: null,
      before: before as Record<string, unknown> | null,
      after: after as Record<string, unknown> | null,
    });
  const values = {
    email: request.email?.value ?? null,
    phoneNumber: request.phone?.value ?? null,
    ...keys,
  };

  if (rows.length === 0) {
    const created = await insertContact(trx, { ...values, linkedId: null });
    entry('contact.created', created.id, null, {
      linkPrecedence: 'primary',
      linkedId: null,
      ...given(request),
    });
    await appendAudit(trx, audit);
    return { contact: contactAnswer([created]), created: 1, joined: 0 };
  }

  // The oldest primary stays primary; every other family joins it.
  const primaries = rows.filter((c) => c.linkPrecedence === 'primary');
  primaries.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  const winner = primaries[0]!;
  for (const loser of primaries.slice(1)) {
    const moved = await demoteFamily(trx, loser.id, winner.id);
    entry(
      'contact.demoted',
      loser.id,
      { linkPrecedence: 'primary', linkedId: null },
      { linkPrecedence: 'secondary', linkedId: winner.id },
    );
    entry('contact.families_joined', winner.id, null, { joined: loser.id, moved });
  }

  // The family as it is now, without reading it again: every row of the joined families points at the winner.
  const family: ContactRow[] = rows.map((c) =>
    c === winner ? c : { ...c, linkedId: winner.id, linkPrecedence: 'secondary' as const },
  );
  const newEmail = request.email !== null && !rows.some((c) => c.emailKey === keys.emailKey);
  const newPhone = request.phone !== null && !rows.some((c) => c.phoneKey === keys.phoneKey);
  if (newEmail || newPhone) {
    const secondary = await insertContact(trx, { ...values, linkedId: winner.id });
    entry('contact.linked', secondary.id, null, {
      linkPrecedence: 'secondary',
      linkedId: winner.id,
      ...given(request),
    });
    family.push(secondary);
  }
  await appendAudit(trx, audit);
  // contactAnswer puts the primary first; the rest go in order of creation.
  family.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  return {
    contact: contactAnswer(family),
    created: newEmail || newPhone ? 1 : 0,
    joined: primaries.length - 1,
  };
}

/**
 * The families holding the request's values, read once every one of their primaries is locked by
 * this transaction: a writer to a family (a secondary, a join, a deletion) holds its primary's
 * row lock, so what is read after that is what this transaction decides on.
 */
async function lockedFamilies(
  trx: Db,
  keys: { emailKey: string | null; phoneKey: string | null },
): Promise<ContactRow[]> {
  const locked = new Set<number>();
  for (let round = 0; round < MAX_LOCK_ROUNDS; round++) {
    const rows = await familiesHolding(trx, keys);
    const missing = [...new Set(rows.map(primaryOf))].filter((id) => !locked.has(id));
    if (missing.length === 0) return rows;
    for (const row of await lockPrimaries(trx, missing)) locked.add(row.id);
    for (const id of missing) locked.add(id); // deleted meanwhile: nothing left to lock
  }
  throw new Error(`contact families kept moving under ${MAX_LOCK_ROUNDS} rounds of locks`);
}

/** Which values the request brought, never the values themselves: the audit log outlives an erasure. */
function given(request: ContactRequest) {
  return { email: request.email !== null, phoneNumber: request.phone !== null };
}
