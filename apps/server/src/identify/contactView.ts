import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { IdentifiedContact } from '@nexus/schema';
import { toAuditView, type AuditView } from '../customers/customersService';
import { DomainError } from '../errors/domainError';
import { contactAnswer } from './contactAnswer';
import { familiesHolding, familyOf, primaryOf, type ContactRow } from './contactsRepository';
import { emailKey, phoneKey } from './contactValues';
import { goldenRecordsSharing, type SharedGoldenRecord } from './sharedGoldenRecords';
import { required } from '@nexus/schema';

export interface ContactNode {
  id: number;
  email: string | null;
  phoneNumber: string | null;
  linkPrecedence: 'primary' | 'secondary';
  linkedId: number | null;
  createdAt: string;
}

/** A family for the dashboard: the contract's answer, its contacts as a tree, its history, the golden records beside it. */
export interface ContactFamilyView {
  answer: IdentifiedContact;
  primary: ContactNode;
  secondaries: ContactNode[];
  history: AuditView[];
  goldenRecords: SharedGoldenRecord[];
}

const node = (c: ContactRow): ContactNode => ({
  id: c.id,
  email: c.email,
  phoneNumber: c.phoneNumber,
  linkPrecedence: c.linkPrecedence,
  linkedId: c.linkedId,
  createdAt: c.createdAt.toISOString(),
});

/** The families holding an email or a phone number (read only: a lookup never creates a contact). */
export async function findContactFamilies(
  db: Db,
  query: { email?: string; phoneNumber?: string },
  defaultCountry: string | undefined,
): Promise<ContactFamilyView[]> {
  const rows = await familiesHolding(db, {
    emailKey: query.email ? emailKey(query.email) : null,
    phoneKey: query.phoneNumber ? phoneKey(query.phoneNumber, defaultCountry) : null,
  });
  const byPrimary = new Map<number, ContactRow[]>();
  for (const row of rows) {
    const family = byPrimary.get(primaryOf(row)) ?? [];
    family.push(row);
    byPrimary.set(primaryOf(row), family);
  }
  return Promise.all([...byPrimary.values()].map((family) => familyView(db, family)));
}

export async function getContactFamily(db: Db, contactId: number): Promise<ContactFamilyView> {
  const family = await familyOf(db, contactId);
  if (family.length === 0) throw new DomainError('CONTACT.NOT_FOUND', `no contact ${contactId}`);
  return familyView(db, family);
}

async function familyView(db: Db, family: ContactRow[]): Promise<ContactFamilyView> {
  const answer = contactAnswer(family);
  const ids = family.map((c) => String(c.id));
  const [history, goldenRecords] = await Promise.all([
    db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'contact')
      .where('entity_id', 'in', ids)
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
    goldenRecordsSharing(db, {
      emailKeys: [...new Set(family.flatMap((c) => (c.emailKey === null ? [] : [c.emailKey])))],
      phoneKeys: [...new Set(family.flatMap((c) => (c.phoneKey === null ? [] : [c.phoneKey])))],
    }),
  ]);
  const primary = required(
    family.find((c) => c.id === answer.primaryContatctId),
    `contact ${answer.primaryContatctId}, the primary of its own family,`,
  );
  return {
    answer,
    primary: node(primary),
    secondaries: family.filter((c) => c !== primary).map(node),
    history: history.map(toAuditView),
    goldenRecords,
  };
}

/** The contact families that share a verified email or phone with a golden record's members. */
export async function contactFamiliesOfGoldenRecord(db: Db, goldenId: string): Promise<IdentifiedContact[]> {
  const members = await db
    .selectFrom('golden_record_members as m')
    .innerJoin('records as r', 'r.id', 'm.record_id')
    // Opened by the database's decrypting plugin, so trimmed and lower-cased here, not in SQL (0049).
    .select([
      sql<string | null>`r.payload->>'email'`.as('email'),
      sql<string | null>`r.normalised->>'phone'`.as('phone'),
    ])
    .where('m.golden_id', '=', goldenId)
    .execute();
  const emails = [...new Set(members.flatMap((m) => (m.email ? [emailKey(m.email)] : [])))].filter(Boolean);
  const phones = [...new Set(members.flatMap((m) => (m.phone ? [m.phone] : [])))];
  if (emails.length === 0 && phones.length === 0) return [];
  const primaries = await db
    .selectFrom('contacts')
    .select(sql<number>`coalesce(linked_id, id)`.as('primaryId'))
    .distinct()
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb('email_key', 'in', emails)] : []),
        ...(phones.length ? [eb('phone_key', 'in', phones)] : []),
      ]),
    )
    .limit(20)
    .execute();
  const families = await Promise.all(primaries.map((p) => familyOf(db, p.primaryId)));
  return families.filter((f) => f.length > 0).map(contactAnswer);
}
