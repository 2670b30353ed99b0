import { sql } from 'kysely';
import type { Db } from '@nexus/actors';

/** A golden record beside a contact family: they share this email or phone, exactly (never fuzzily). */
export interface SharedGoldenRecord {
  goldenId: string;
  sharedBy: 'email' | 'phone';
  /** The shared value as the contact family compares it. */
  value: string;
}

/**
 * Golden records whose member records carry one of the family's emails (trimmed, case-insensitive)
 * or phone numbers (normalised as the engine normalises them). Shown side by side only: a contact
 * family and a golden record are never merged automatically (docs/decisions/0029).
 */
export async function goldenRecordsSharing(
  db: Db,
  keys: { emailKeys: string[]; phoneKeys: string[] },
): Promise<SharedGoldenRecord[]> {
  const found: SharedGoldenRecord[] = [];
  if (keys.emailKeys.length > 0) {
    const rows = await db
      .selectFrom('records as r')
      .innerJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select(['m.golden_id as goldenId', sql<string>`lower(btrim(r.payload->>'email'))`.as('value')])
      .where(sql<boolean>`r.payload ? 'email'`)
      .where(sql`lower(btrim(r.payload->>'email'))`, 'in', keys.emailKeys)
      .distinct()
      .limit(20)
      .execute();
    for (const r of rows) found.push({ goldenId: r.goldenId, sharedBy: 'email', value: r.value });
  }
  if (keys.phoneKeys.length > 0) {
    const rows = await db
      .selectFrom('records as r')
      .innerJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select(['m.golden_id as goldenId', sql<string>`r.normalised->>'phone'`.as('value')])
      .where(sql<boolean>`r.normalised ? 'phone'`)
      .where(sql`r.normalised->>'phone'`, 'in', keys.phoneKeys)
      .distinct()
      .limit(20)
      .execute();
    for (const r of rows) found.push({ goldenId: r.goldenId, sharedBy: 'phone', value: r.value });
  }
  return found;
}
