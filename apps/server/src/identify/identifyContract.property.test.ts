import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifiedContact } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { ContractModel } from './contractModel';
import { contactRequest, emailKey, phoneKey } from './contactValues';
import { identifyContact } from './identifyContact';

/** A small pool of values, so random requests often meet, bridge and repeat; spelled several ways. */
const EMAILS = ['lorraine', 'mcfly', 'george', 'biff', 'doc'];
const PHONES = ['123456', '919191', '717171', '555000', '424242'];
const emailSpelling = fc
  .tuple(fc.constantFrom(...EMAILS), fc.constantFrom('', ' ', 'upper'))
  .map(([name, how]) =>
    how === 'upper' ? `${name.toUpperCase()}@HillValley.edu` : `${how}${name}@hillvalley.edu`,
  );
const phoneSpelling = fc
  .tuple(fc.constantFrom(...PHONES), fc.boolean())
  .map(([digits, dashed]) => (dashed ? `${digits.slice(0, 3)}-${digits.slice(3)}` : digits));
const request = fc
  .tuple(fc.option(emailSpelling, { nil: null }), fc.option(phoneSpelling, { nil: null }))
  .filter(([e, p]) => e !== null || p !== null);

describe('/identify against a model of the contract', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('answers every random sequence of requests as the model does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 25 }), async (requests) => {
        // Each run starts from an empty table: ids are compared through creation order.
        await tdb.db.deleteFrom('contacts').execute();
        const model = new ContractModel(emailKey, (p) => phoneKey(p, undefined));
        const realIdOf = new Map<number, number>(); // model id -> real id
        let modelIds = 0;
        const translate = (c: IdentifiedContact): IdentifiedContact => {
          const back = new Map([...realIdOf].map(([m, r]) => [r, m]));
          const id = (r: number) => back.get(r) ?? -r;
          return {
            ...c,
            primaryContatctId: id(c.primaryContatctId),
            primaryContactId: id(c.primaryContactId),
            secondaryContactIds: c.secondaryContactIds.map(id),
          };
        };
        for (const [email, phoneNumber] of requests) {
          const real = await identifyContact(
            tdb.db,
            contactRequest({ email, phoneNumber }, undefined),
            'test',
          );
          const expected = model.identify(
            email === null ? null : { value: email.trim(), key: emailKey(email) },
            phoneNumber === null ? null : { value: phoneNumber, key: phoneKey(phoneNumber, undefined) },
          );
          expect(real.created).toBe(expected.created);
          expect(real.joined).toBe(expected.joined);
          if (real.created === 1) {
            // The contact created is the newest of the family: its primary or its last secondary.
            const newest = real.contact.secondaryContactIds.at(-1) ?? real.contact.primaryContatctId;
            realIdOf.set(++modelIds, newest);
          }
          expect(translate(real.contact)).toEqual(expected.contact);
        }
      }),
      { numRuns: 40 },
    );
  });
});
