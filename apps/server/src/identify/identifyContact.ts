import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { ContactPrecedence, IdentifiedContact } from '@nexus/schema';
import { contactAnswer } from './contactAnswer';
import type { ContactRequest } from './contactValues';
import { withContactRetry } from './contactRetry';

export interface IdentifyResult {
  contact: IdentifiedContact;
  created: number;
  joined: number;
}

/** A row of `identify_contact`: one contact of the family, and what the call changed. */
interface IdentifiedRow {
  id: number;
  email: string | null;
  phone_number: string | null;
  email_key: string | null;
  phone_key: string | null;
  linked_id: number | null;
  link_precedence: ContactPrecedence;
  created_at: Date;
  created: number;
  joined: number;
}

/**
 * `/identify` (docs/decisions/0029-identify-contact-reconciliation.md) as ONE statement: the
 * database function `identify_contact` (migration 0031, docs/decisions/0031-identify-in-one-round-trip.md)
 * answers a request whose values one family already holds from one read, without locks or writes;
 * otherwise it locks the values, reads the families and locks their primaries (again after a
 * concurrent join moved them), then creates a primary, joins families under the oldest primary,
 * adds a secondary when the request brings a value the family lacks, and audits every change.
 * The call is its own transaction: one round trip whatever it does.
 */
export async function identifyContact(
  db: Db,
  request: ContactRequest,
  actor: string,
): Promise<IdentifyResult> {
  const { rows } = await withContactRetry(() =>
    sql<IdentifiedRow>`
      select * from identify_contact(
        ${request.email?.value ?? null}, ${request.email?.key ?? null},
        ${request.phone?.value ?? null}, ${request.phone?.key ?? null}, ${actor})
    `.execute(db),
  );
  const first = rows[0];
  if (!first) throw new Error('identify_contact answered no family');
  // Rows come primary first, then in order of creation, as contactAnswer reads them.
  const family = rows.map((r) => ({
    id: r.id,
    email: r.email,
    phoneNumber: r.phone_number,
    emailKey: r.email_key,
    phoneKey: r.phone_key,
    linkedId: r.linked_id,
    linkPrecedence: r.link_precedence,
    createdAt: r.created_at,
  }));
  return { contact: contactAnswer(family), created: first.created, joined: first.joined };
}
