import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { contactRequest } from './contactValues';
import { identifyContact } from './identifyContact';

describe('/identify under concurrency', () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    // More connections than the default test pool: the requests below really run at once.
    db = createDb(tdb.url, { maxConnections: 24, applicationName: 'nexus-identify-test' });
  });
  afterAll(async () => {
    await db?.destroy();
    await tdb?.drop();
  });

  const identify = (email: string | null, phoneNumber: string | null) =>
    identifyContact(db, contactRequest({ email, phoneNumber }, undefined), 'test');

  /** Every secondary links to a live primary, no primary links anywhere: flat families, no cycles. */
  async function expectFlatFamilies() {
    const rows = await db.selectFrom('contacts').select(['id', 'linked_id', 'link_precedence']).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of rows) {
      if (r.link_precedence === 'primary') expect(r.linked_id).toBeNull();
      else expect(byId.get(r.linked_id!)?.link_precedence, `contact ${r.id}`).toBe('primary');
    }
  }

  it('40 simultaneous first sightings of one identity make one primary', async () => {
    const spellings: Array<[string, string]> = [
      ['doc.brown@hillvalley.edu', '555-0188 01'],
      ['Doc.Brown@HillValley.edu ', '555018801'],
      [' DOC.BROWN@hillvalley.edu', '(555) 0188-01'],
    ];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => identify(...spellings[i % spellings.length]!)),
    );
    const rows = await db
      .selectFrom('contacts')
      .selectAll()
      .where('email_key', '=', 'doc.brown@hillvalley.edu')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.link_precedence).toBe('primary');
    expect(answers.reduce((n, a) => n + a.created, 0)).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.contact))).size).toBe(1);
    expect(answers[0]!.contact.emails).toHaveLength(1);
  });

  it('concurrent bridges keep one primary per family and make no cycle', async () => {
    const families = 12;
    const email = (i: number) => `bridge${i}@hillvalley.edu`;
    const phone = (i: number) => `77${String(i).padStart(6, '0')}`;
    const made = [];
    for (let i = 0; i < families; i++)
      made.push((await identify(email(i), phone(i))).contact.primaryContatctId);

    // Two rings of bridges fired at once, in both directions: 0-1, 1-2, ... and 1-0, 2-1, ...,
    // joining 0..5 into one family and 6..11 into another, so requests race for the same primaries.
    const bridges: Array<[number, number]> = [];
    for (const [from, to] of [
      [0, 6],
      [6, 12],
    ] as const) {
      for (let i = from; i < to - 1; i++) bridges.push([i, i + 1], [i + 1, i]);
      bridges.push([to - 1, from]);
    }
    const answers = await Promise.all(bridges.map(([a, b]) => identify(email(a), phone(b))));
    await expectFlatFamilies();

    for (const [from, to] of [
      [0, 6],
      [6, 12],
    ] as const) {
      const answer = (await identify(email(from), null)).contact;
      expect(answer.primaryContatctId).toBe(made[from]); // the oldest primary of the ring
      expect([...answer.emails].sort()).toEqual(
        Array.from({ length: to - from }, (_, k) => email(from + k)).sort(),
      );
      expect(new Set([answer.primaryContatctId, ...answer.secondaryContactIds]).size).toBe(
        1 + answer.secondaryContactIds.length,
      );
      for (let i = from; i < to; i++) expect((await identify(null, phone(i))).contact).toEqual(answer);
    }
    // Bridges bring no new value: none created a contact.
    expect(answers.reduce((n, a) => n + a.created, 0)).toBe(0);
    expect(answers.reduce((n, a) => n + a.joined, 0)).toBe(families - 2);
  });

  it('lookups racing a join answer the family as it was before or after, never half of it', async () => {
    // Lookups take no lock: each reads its family in one snapshot while the bridge moves rows.
    const pairs = 8;
    const lookupsPerPair = 16;
    const email = (side: string, i: number) => `race-${side}${i}@hillvalley.edu`;
    const phone = (side: number, i: number) => `66${side}${String(i).padStart(5, '0')}`;
    const before = [];
    for (let i = 0; i < pairs; i++) {
      await identify(email('x', i), phone(1, i)); // the older family: it stays primary
      await identify(email('y', i), phone(2, i));
      before.push((await identify(email('y2', i), phone(2, i))).contact); // y with a secondary
    }
    const lookups = await Promise.all(
      Array.from({ length: pairs }, (_, i) => [
        identify(email('x', i), phone(2, i)).then((a) => ({ pair: i, bridge: a })),
        ...Array.from({ length: lookupsPerPair }, (_, k) =>
          (k % 2 === 0 ? identify(null, phone(2, i)) : identify(email('y2', i), null)).then((a) => ({
            pair: i,
            lookup: a,
          })),
        ),
      ]).flat(),
    );
    await expectFlatFamilies();
    for (let i = 0; i < pairs; i++) {
      const after = (await identify(email('y', i), null)).contact;
      expect(after.emails).toEqual([email('x', i), email('y', i), email('y2', i)]);
      expect(after.secondaryContactIds).toHaveLength(2);
      for (const r of lookups.filter((l) => l.pair === i)) {
        if ('bridge' in r) {
          expect(r.bridge.contact).toEqual(after);
          expect(r.bridge.joined).toBe(1);
          continue;
        }
        expect(r.lookup.created).toBe(0);
        expect([before[i], after]).toContainEqual(r.lookup.contact);
      }
    }
  });
});
