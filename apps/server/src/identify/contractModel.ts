import type { IdentifiedContact } from '@nexus/schema';
import { required } from '@nexus/schema';

interface ModelContact {
  id: number;
  email: string | null;
  phone: string | null;
  linkedId: number | null;
}

/**
 * The `/identify` contract as a few lines over an array, for property tests to hold the real
 * service against: ids in creation order, the oldest primary wins, a secondary only for a value
 * the family lacks. Values are compared by the key the caller gives.
 */
export class ContractModel {
  private readonly contacts: ModelContact[] = [];

  identify(
    email: { value: string; key: string } | null,
    phone: { value: string; key: string } | null,
  ): { contact: IdentifiedContact; created: number; joined: number } {
    const primaryOf = (c: ModelContact) => c.linkedId ?? c.id;
    const matches = this.contacts.filter(
      (c) =>
        (email !== null && c.email !== null && this.key(c.email) === email.key) ||
        (phone !== null && c.phone !== null && this.phoneKey(c.phone) === phone.key),
    );
    if (matches.length === 0) {
      const created = this.add(email?.value ?? null, phone?.value ?? null, null);
      return { contact: this.answer(created.id), created: 1, joined: 0 };
    }
    const primaries = [...new Set(matches.map(primaryOf))].sort((a, b) => a - b);
    const winner = required(primaries[0], 'ContractModel: primary of a non-empty set of matches');
    for (const loser of primaries.slice(1))
      for (const c of this.contacts) if (c.id === loser || c.linkedId === loser) c.linkedId = winner;
    const family = this.contacts.filter((c) => primaryOf(c) === winner);
    const newEmail =
      email !== null && !family.some((c) => c.email !== null && this.key(c.email) === email.key);
    const newPhone =
      phone !== null && !family.some((c) => c.phone !== null && this.phoneKey(c.phone) === phone.key);
    if (newEmail || newPhone) this.add(email?.value ?? null, phone?.value ?? null, winner);
    return {
      contact: this.answer(winner),
      created: newEmail || newPhone ? 1 : 0,
      joined: primaries.length - 1,
    };
  }

  constructor(
    private readonly key: (email: string) => string,
    private readonly phoneKey: (phone: string) => string,
  ) {}

  private add(email: string | null, phone: string | null, linkedId: number | null): ModelContact {
    const contact = { id: this.contacts.length + 1, email, phone, linkedId };
    this.contacts.push(contact);
    return contact;
  }

  private answer(primaryId: number): IdentifiedContact {
    const family = this.contacts.filter((c) => (c.linkedId ?? c.id) === primaryId);
    const emails = new Map<string, string>();
    const phones = new Map<string, string>();
    for (const c of family) {
      if (c.email !== null && !emails.has(this.key(c.email))) emails.set(this.key(c.email), c.email);
      if (c.phone !== null && !phones.has(this.phoneKey(c.phone)))
        phones.set(this.phoneKey(c.phone), c.phone);
    }
    return {
      primaryContatctId: primaryId,
      primaryContactId: primaryId,
      emails: [...emails.values()],
      phoneNumbers: [...phones.values()],
      secondaryContactIds: family.filter((c) => c.id !== primaryId).map((c) => c.id),
    };
  }
}
