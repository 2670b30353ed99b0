import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../../../test/engineHarness';
import { useTestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';

/** A contact family and a golden record that share a verified email or phone are shown side by side, never merged. */
describe('contact families beside golden records', () => {
  const suite = useTestServer();

  it('finds the golden record from the family and the family from the golden record', async () => {
    const ingest = await suite.server.tokenFor('ingest');
    const res = await fetch(`${suite.server.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'shop',
        record: {
          external_id: 'clara-1',
          given_name: 'Clara',
          family_name: 'Clayton',
          email: 'Clara.Clayton@HillValley.edu',
          phone: '+1 202 555 0188',
        },
      }),
    });
    expect(res.status).toBe(202);
    const { recordId } = (await res.json()) as { recordId: string };
    await waitUntil('the record has a golden record', async () =>
      Boolean(
        await suite.tdb.db
          .selectFrom('golden_record_members')
          .select('golden_id')
          .where('record_id', '=', recordId)
          .executeTakeFirst(),
      ),
    );
    const { golden_id: goldenId } = await suite.tdb.db
      .selectFrom('golden_record_members')
      .select('golden_id')
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow();

    const identify = async (body: object) => {
      const r = await fetch(`${suite.server.url}/identify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return ((await r.json()) as { contact: { primaryContatctId: number } }).contact;
    };
    const byEmail = await identify({ email: 'clara.clayton@hillvalley.edu' });
    const byPhone = await identify({ phoneNumber: '+12025550188' });
    await identify({ email: 'nobody@hillvalley.edu', phoneNumber: '999111' });

    const client = createNexusClient(suite.server.url, await suite.server.tokenFor('reviewer'));
    try {
      const [family] = await client.trpc.contacts.find.query({
        email: 'CLARA.clayton@hillvalley.edu',
        reason: 'support call',
      });
      expect(family!.goldenRecords).toEqual([
        { goldenId, sharedBy: 'email', value: 'clara.clayton@hillvalley.edu' },
      ]);
      const [phoneFamily] = await client.trpc.contacts.find.query({
        phoneNumber: '+1 (202) 555-0188',
        reason: 'support call',
      });
      expect(phoneFamily!.goldenRecords).toEqual([{ goldenId, sharedBy: 'phone', value: '+12025550188' }]);
      const [stranger] = await client.trpc.contacts.find.query({
        email: 'nobody@hillvalley.edu',
        reason: 'support call',
      });
      expect(stranger!.goldenRecords).toEqual([]);

      const families = await client.trpc.contacts.ofGoldenRecord.query({ goldenId });
      expect(families.map((f) => f.primaryContatctId).sort()).toEqual(
        [byEmail.primaryContatctId, byPhone.primaryContatctId].sort(),
      );
      // Shown side by side only: the golden record still has its one member, the contacts their own table.
      const members = await suite.tdb.db
        .selectFrom('golden_record_members')
        .select('record_id')
        .where('golden_id', '=', goldenId)
        .execute();
      expect(members).toEqual([{ record_id: recordId }]);
    } finally {
      await client.close();
    }
  });
});
