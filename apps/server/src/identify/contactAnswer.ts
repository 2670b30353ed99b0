import type { IdentifiedContact } from '@nexus/schema';
import type { ContactRow } from './contactsRepository';

/**
 * The contract's answer for one family (its rows: primary first, then in order of creation):
 * distinct emails and phone numbers, each as first given, the primary's first.
 */
export function contactAnswer(family: readonly ContactRow[]): IdentifiedContact {
  const primary = family.find((c) => c.linkPrecedence === 'primary') ?? family[0];
  if (!primary) throw new Error('a contact family has at least one contact');
  const ordered = [primary, ...family.filter((c) => c !== primary)];
  const emails = new Map<string, string>();
  const phones = new Map<string, string>();
  for (const c of ordered) {
    if (c.emailKey !== null && c.email !== null && !emails.has(c.emailKey)) emails.set(c.emailKey, c.email);
    if (c.phoneKey !== null && c.phoneNumber !== null && !phones.has(c.phoneKey))
      phones.set(c.phoneKey, c.phoneNumber);
  }
  return {
    primaryContatctId: primary.id,
    primaryContactId: primary.id,
    emails: [...emails.values()],
    phoneNumbers: [...phones.values()],
    secondaryContactIds: ordered.slice(1).map((c) => c.id),
  };
}
