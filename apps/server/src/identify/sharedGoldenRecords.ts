import { sql } from 'kysely';
import { type Db } from '@nexus/actors';
import { identifierKeys, normaliseEmail } from '@nexus/matching';
import { emailKey } from './contactValues';

/** A golden record beside a contact family: they share this email or phone, exactly (never fuzzily). */
export interface SharedGoldenRecord {
  goldenId: string;
  sharedBy: 'email' | 'phone';
  /** The shared value as the contact family compares it. */
  value: string;
}

const SHOWN = 20;
/** Records read per look-up: a mailbox name's key is shared by other domains, which are filtered out. */
const READ = 500;

/**
 * Golden records whose member records carry one of the family's emails (trimmed, case-insensitive)
 * or phone numbers (normalised as the engine normalises them). Shown side by side only: a contact
 * family and a golden record are never merged automatically (docs/decisions/0029).
 *
 * Emails and phones are encrypted at rest (0049), so the records are found through their
 * identifier blocking keys (blind indexes) and the values compared here, once opened.
 */
export async function goldenRecordsSharing(
  db: Db,
  keys: { emailKeys: string[]; phoneKeys: string[] },
): Promise<SharedGoldenRecord[]> {
  const lookups = [
    ...keys.emailKeys.flatMap((e) => identifierKeys({ email: normaliseEmail(e) })),
    ...keys.phoneKeys.flatMap((p) => identifierKeys({ phone: p })),
  ];
  if (lookups.length === 0) return [];
  const rows = await db
    .selectFrom('blocking_keys as k')
    .innerJoin('golden_record_members as m', 'm.record_id', 'k.record_id')
    .innerJoin('records as r', 'r.id', 'k.record_id')
    .select([
      'm.golden_id as goldenId',
      sql<string | null>`r.payload->>'email'`.as('email'),
      sql<string | null>`r.normalised->>'phone'`.as('phone'),
    ])
    .where('k.key', 'in', [...new Set(lookups)])
    .limit(READ)
    .execute();
  const emails = new Set(keys.emailKeys);
  const phones = new Set(keys.phoneKeys);
  const found = new Map<string, SharedGoldenRecord>();
  for (const r of rows) {
    const email = r.email === null ? undefined : emailKey(r.email);
    if (email !== undefined && emails.has(email)) {
      found.set(`${r.goldenId}|email|${email}`, { goldenId: r.goldenId, sharedBy: 'email', value: email });
    }
    if (r.phone !== null && phones.has(r.phone)) {
      found.set(`${r.goldenId}|phone|${r.phone}`, {
        goldenId: r.goldenId,
        sharedBy: 'phone',
        value: r.phone,
      });
    }
  }
  const shared = [...found.values()];
  // As before: the email matches first, then the phones, at most SHOWN of each.
  return [
    ...shared.filter((s) => s.sharedBy === 'email').slice(0, SHOWN),
    ...shared.filter((s) => s.sharedBy === 'phone').slice(0, SHOWN),
  ];
}
