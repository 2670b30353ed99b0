import type { ContactHistoryEntry } from './contactTypes';

const str = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : '?');

/** One audit entry of a contact family in words (the entries hold ids, never the values). */
export function describeContactEntry(e: ContactHistoryEntry): string {
  const after = e.after ?? {};
  const id = `#${e.entityId}`;
  switch (e.action) {
    case 'contact.created':
      return `${id} created as a primary contact`;
    case 'contact.linked':
      return `${id} created as a secondary of #${str(after.linkedId)} (new information)`;
    case 'contact.demoted':
      return `${id} demoted to a secondary of #${str(after.linkedId)} (an older family)`;
    case 'contact.families_joined':
      // Written on the primary that stayed: the other family came to it.
      return `the family of #${str(after.joined)} joined ${id}`;
    case 'contact.family_deleted':
      return `family of ${id} deleted`;
    case 'contact.family_erased':
      return `family of ${id} erased`;
    default:
      return `${e.action} on ${id}`;
  }
}
