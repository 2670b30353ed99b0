import { sql } from 'kysely';
import { goldenMergedInto, type Db } from '@nexus/actors';
import { emailKey, phoneKey } from '../identify/contactValues';
import type { ErasureTargets } from './erasureTargets';

/** What an erasure removes, or would remove: ids and counts, never the values themselves. */
export interface ErasurePlan {
  customerId: string | null;
  records: Array<{ recordId: string; source: string; status: string; goldenId: string | null }>;
  /** `erased`: no member is left; `resettled`: best values recomputed from the members left. */
  goldenRecords: Array<{ goldenId: string; outcome: 'erased' | 'resettled'; membersLeft: number }>;
  /** Golden records merged into those above earlier: their best values of the time go too. */
  mergedGoldenRecords: string[];
  /** ABIS references deleted (MOSIP `mosip.abis.delete`), one per enrolled face. */
  faceReferences: string[];
  /** Review cases of these records, and open merge proposals of golden records erased whole. */
  reviewCases: Array<{ caseId: string; kind: string; status: string; closes: boolean }>;
  blockingKeys: number;
  deadLetters: number;
  busMessages: number;
  /** Other records whose stored explanation compared them with these: their copies of the values go. */
  explanationsOfOthers: number;
  /** /identify contacts whose email or phone is one of these records' (whole families go). */
  contacts: number[];
}

/** Reads what erasing the targets touches; inside the erasure's transaction it is exactly what it does. */
export async function planErasure(
  db: Db,
  targets: ErasureTargets,
  defaultCountry: string | undefined,
): Promise<ErasurePlan> {
  const ids = targets.recordIds;
  const none = ids.length === 0;
  const records = none
    ? []
    : await db
        .selectFrom('records as r')
        .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
        .select(['r.id', 'r.source', 'r.status', 'r.payload', 'm.golden_id'])
        .where('r.id', 'in', ids)
        .orderBy('r.id')
        .execute();
  const left = targets.goldenIds.length
    ? await db
        .selectFrom('golden_record_members')
        .select(['golden_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where('golden_id', 'in', targets.goldenIds)
        .where((eb) => (none ? eb.val(true) : eb('record_id', 'not in', ids)))
        .groupBy('golden_id')
        .execute()
    : [];
  const leftOf = new Map(left.map((l) => [l.golden_id, Number(l.n)]));
  const goldenRecords = targets.goldenIds.map((goldenId) => {
    const membersLeft = leftOf.get(goldenId) ?? 0;
    return {
      goldenId,
      outcome: membersLeft === 0 ? ('erased' as const) : ('resettled' as const),
      membersLeft,
    };
  });
  const erasedWhole = goldenRecords.filter((g) => g.outcome === 'erased').map((g) => g.goldenId);
  const [merged, faces, cases, proposals, keys, deadLetters, bus, others, contacts] = await Promise.all([
    goldenMergedInto(db, targets.goldenIds),
    none
      ? []
      : db
          .selectFrom('biometric_references')
          .select('reference_id')
          .where('reference_id', 'in', ids)
          .execute(),
    none
      ? []
      : db
          .selectFrom('review_cases')
          .select(['id', 'kind', 'status'])
          .where('record_id', 'in', ids)
          .execute(),
    erasedWhole.length === 0
      ? []
      : db
          .selectFrom('review_cases as c')
          .select(['c.id', 'c.kind', 'c.status'])
          .where('c.kind', '=', 'merge_proposal')
          .where('c.status', '<>', 'resolved')
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('review_case_candidates as k')
                .select('k.case_id')
                .whereRef('k.case_id', '=', 'c.id')
                .where('k.golden_id', 'in', erasedWhole),
            ),
          )
          .execute(),
    none ? [] : db.selectFrom('blocking_keys').select('key').where('record_id', 'in', ids).execute(),
    none ? [] : db.selectFrom('dead_letters').select('id').where('record_id', 'in', ids).execute(),
    none
      ? { rows: [] }
      : sql<{
          n: string;
        }>`select count(*) as n from bus_messages where payload ->> 'recordId' = any(${ids}::text[])`.execute(
          db,
        ),
    othersNaming(db, ids),
    contactFamilies(
      db,
      records.map((r) => r.payload),
      defaultCountry,
    ),
  ]);
  return {
    customerId: targets.customerId,
    records: records.map((r) => ({
      recordId: r.id,
      source: r.source,
      status: r.status,
      goldenId: r.golden_id,
    })),
    goldenRecords,
    mergedGoldenRecords: merged,
    faceReferences: faces.map((f) => f.reference_id).sort(),
    reviewCases: [...cases, ...proposals].map((c) => ({
      caseId: c.id,
      kind: c.kind,
      status: c.status,
      closes: c.status !== 'resolved',
    })),
    blockingKeys: keys.length,
    deadLetters: deadLetters.length,
    busMessages: Number(bus.rows[0]?.n ?? 0),
    explanationsOfOthers: others.length,
    contacts,
  };
}

/**
 * Records (not erased) whose explanation names one of these records: a decision's field by field
 * comparison keeps the values of the member it was compared with. A scan of the explanations,
 * which is what an erasure costs; erasures are rare.
 */
export async function othersNaming(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    select r.id from records r
    where r.explanation is not null and r.erased_at is null and not (r.id = any(${[...ids]}::uuid[]))
      and exists (select 1 from unnest(${[...ids]}::text[]) as e(id) where strpos(r.explanation::text, e.id) > 0)
    order by r.id`.execute(db);
  return rows.map((r) => r.id);
}

/** The /identify families (their primaries) holding an email or phone of these payloads. */
export async function contactFamilies(
  db: Db,
  payloads: ReadonlyArray<Record<string, unknown>>,
  defaultCountry: string | undefined,
): Promise<number[]> {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
  const emails = [
    ...new Set(
      payloads.flatMap((p) => {
        const email = text(p.email);
        return email ? [emailKey(email)] : [];
      }),
    ),
  ];
  const phones = [
    ...new Set(
      payloads.flatMap((p) => {
        const phone = text(p.phone);
        if (!phone) return [];
        const digits = phone.replace(/\D/g, '');
        // The same key /identify computes, and the bare digits for numbers it keeps as digits.
        return [phoneKey(phone, defaultCountry), digits];
      }),
    ),
  ];
  if (emails.length === 0 && phones.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.coalesce('linked_id', 'id').as('primary'))
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb('email_key', 'in', emails)] : []),
        ...(phones.length ? [eb('phone_key', 'in', phones)] : []),
      ]),
    )
    .execute();
  return [...new Set(rows.map((r) => Number(r.primary)))].sort((a, b) => a - b);
}
