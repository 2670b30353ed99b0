import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';

interface Contact {
  primaryContatctId: number;
  primaryContactId: number;
  emails: string[];
  phoneNumbers: string[];
  secondaryContactIds: number[];
}

describe('/identify over HTTP (the Bitespeed contract)', () => {
  const suite = useTestServer({ NEXUS_IDENTIFY_MAX_BODY_BYTES: '1024' });
  let token: string;
  beforeAll(async () => {
    token = await suite.server.tokenFor('ingest');
  });

  const post = async (body: unknown, path = '/identify', bearer: string | null = token) => {
    const res = await fetch(`${suite.server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: JSON.parse(text) as { contact: Contact; error?: { code: string; fields?: unknown } },
    };
  };
  const identify = async (body: unknown, path?: string) => {
    const res = await post(body, path);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return res.json.contact;
  };
  const contactCount = async () =>
    Number(
      (
        await suite.tdb.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates a primary, then a secondary for new information, and nothing for a repeat', async () => {
    const first = await identify({ email: 'lorraine@hillvalley.edu', phoneNumber: '123456' });
    expect(first).toEqual({
      primaryContatctId: first.primaryContatctId,
      primaryContactId: first.primaryContatctId,
      emails: ['lorraine@hillvalley.edu'],
      phoneNumbers: ['123456'],
      secondaryContactIds: [],
    });
    expect(Number.isInteger(first.primaryContatctId)).toBe(true);

    const second = await identify({ email: 'mcfly@hillvalley.edu', phoneNumber: '123456' });
    expect(second.primaryContatctId).toBe(first.primaryContatctId);
    expect(second.emails).toEqual(['lorraine@hillvalley.edu', 'mcfly@hillvalley.edu']);
    expect(second.phoneNumbers).toEqual(['123456']);
    expect(second.secondaryContactIds).toHaveLength(1);

    const before = await contactCount();
    expect(await identify({ email: 'mcfly@hillvalley.edu', phoneNumber: '123456' })).toEqual(second);
    // Either value alone, the other null, the phone as a number, another case or spacing: the family, nothing new.
    for (const body of [
      { phoneNumber: '123456' },
      { email: 'lorraine@hillvalley.edu', phoneNumber: null },
      { email: '  McFly@HillValley.EDU ' },
      { phoneNumber: 123456 },
      { email: '', phoneNumber: '123456' },
    ])
      expect(await identify(body, '/api/v1/identify')).toEqual(second);
    expect(await contactCount()).toBe(before);
  });

  it('joins two primary families under the older, with their secondaries', async () => {
    const george = await identify({ email: 'george@hillvalley.edu', phoneNumber: '919191' });
    await identify({ email: 'george.mcfly@hillvalley.edu', phoneNumber: '919191' });
    const biff = await identify({ email: 'biffsucks@hillvalley.edu', phoneNumber: '717171' });
    const biffSecondary = await identify({ email: 'biffsucks@hillvalley.edu', phoneNumber: '727272' });
    expect(biff.primaryContatctId).not.toBe(george.primaryContatctId);

    const joined = await identify({ email: 'george@hillvalley.edu', phoneNumber: '717171' });
    expect(joined.primaryContatctId).toBe(george.primaryContatctId);
    expect(joined.emails).toEqual([
      'george@hillvalley.edu',
      'george.mcfly@hillvalley.edu',
      'biffsucks@hillvalley.edu',
    ]);
    expect(joined.phoneNumbers).toEqual(['919191', '717171', '727272']);
    expect(joined.secondaryContactIds).toEqual(
      expect.arrayContaining([biff.primaryContatctId, ...biffSecondary.secondaryContactIds]),
    );
    expect(joined.secondaryContactIds).toHaveLength(3);
    // The bridge brought nothing new: no contact for it; every former member of biff's family points at george.
    const rows = await suite.tdb.db
      .selectFrom('contacts')
      .select(['id', 'linked_id', 'link_precedence'])
      .where('id', 'in', joined.secondaryContactIds)
      .execute();
    expect(
      rows.every((r) => r.linked_id === george.primaryContatctId && r.link_precedence === 'secondary'),
    ).toBe(true);
    expect(await identify({ phoneNumber: '727272' })).toEqual(joined);

    const audit = await suite.tdb.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'actor'])
      .where('entity_type', '=', 'contact')
      .where('action', 'in', ['contact.demoted', 'contact.families_joined'])
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'contact.demoted', entity_id: String(biff.primaryContatctId), actor: 'ingest-user' },
        {
          action: 'contact.families_joined',
          entity_id: String(george.primaryContatctId),
          actor: 'ingest-user',
        },
      ]),
    );
  });

  it('refuses bad input with 400 and the API error shape, never a 500', async () => {
    const bad: unknown[] = [
      '',
      '[]',
      '"lorraine@hillvalley.edu"',
      'null',
      '{"email": ',
      {},
      { email: null, phoneNumber: null },
      { email: 42 },
      { email: ['a@b.co'] },
      { phoneNumber: { n: 1 } },
      { phoneNumber: true },
      { phoneNumber: -123456 },
      { phoneNumber: 1.5 },
      { email: 'not-an-email' },
      { email: 'two@@at.com' },
      { phoneNumber: 'call me maybe' },
      { phoneNumber: '12345' },
      { phoneNumber: '1234567890123456' },
      { email: `${'x'.repeat(250)}@hillvalley.edu` },
      { email: 'nul\u0000@hillvalley.edu' },
    ];
    for (const body of bad) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error?.code, JSON.stringify(body)).toBe('REQUEST.INVALID');
    }
    const tooLarge = await post({ email: 'lorraine@hillvalley.edu', padding: 'x'.repeat(2000) });
    expect(tooLarge.status).toBe(413);
  });

  it('needs a token of a role that may identify', async () => {
    expect((await post({ email: 'lorraine@hillvalley.edu' }, '/identify', null)).status).toBe(401);
    const reviewer = await suite.server.tokenFor('reviewer');
    const refused = await post({ email: 'lorraine@hillvalley.edu' }, '/api/v1/identify', reviewer);
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('AUTH.FORBIDDEN');
    expect(
      (await post({ email: 'lorraine@hillvalley.edu' }, '/identify', await suite.server.tokenFor('operator')))
        .status,
    ).toBe(200);
  });

  it('counts calls, contacts created, families joined and latency in /metrics', async () => {
    const text = await (await fetch(`${suite.server.url}/metrics`)).text();
    const value = (line: string) =>
      Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('nexus_identify_requests_total{result="answered"}')).toBeGreaterThanOrEqual(15);
    expect(value('nexus_identify_requests_total{result="invalid"}')).toBeGreaterThanOrEqual(20);
    expect(value('nexus_identify_contacts_created_total')).toBeGreaterThanOrEqual(6);
    expect(value('nexus_identify_families_joined_total')).toBe(1);
    expect(value('nexus_identify_duration_seconds_count')).toBeGreaterThanOrEqual(15);
  });

  it('soft-deletes and erases a family (admin only), keeping no values in the audit log', async () => {
    const family = await identify({ email: 'doc@hillvalley.edu', phoneNumber: '885885' });
    await identify({ email: 'emmett@hillvalley.edu', phoneNumber: '885885' });
    const admin = await suite.server.tokenFor('admin');
    const del = (bearer: string) =>
      fetch(`${suite.server.url}/api/v1/contacts/${family.primaryContatctId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await del(token)).status).toBe(403);
    const deleted = await del(admin);
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as { deleted: number[] }).deleted).toHaveLength(2);
    // The values start a family of their own now.
    const fresh = await identify({ email: 'emmett@hillvalley.edu' });
    expect(fresh.primaryContatctId).toBeGreaterThan(family.primaryContatctId);
    expect(fresh.phoneNumbers).toEqual([]);

    const erase = await fetch(`${suite.server.url}/api/v1/contacts/${fresh.primaryContatctId}/erase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'asked to be forgotten' }),
    });
    expect(erase.status).toBe(200);
    expect(
      await suite.tdb.db
        .selectFrom('contacts')
        .select('id')
        .where('id', '=', fresh.primaryContatctId)
        .execute(),
    ).toEqual([]);
    expect(
      (
        await fetch(`${suite.server.url}/api/v1/contacts/${fresh.primaryContatctId}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${admin}` },
        })
      ).status,
    ).toBe(404);
    const audit = JSON.stringify(
      await suite.tdb.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'contact').execute(),
    );
    expect(audit).toContain('contact.family_erased');
    expect(audit).not.toContain('emmett');
    expect(audit).not.toContain('885885');
  });
});

describe('/identify with NEXUS_IDENTIFY_PUBLIC=true', () => {
  const suite = useTestServer({ NEXUS_IDENTIFY_PUBLIC: 'true' });

  it('answers /identify without a token, and only /identify', async () => {
    const res = await fetch(`${suite.server.url}/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'marty@hillvalley.edu' }),
    });
    expect(res.status).toBe(200);
    const audit = await suite.tdb.db
      .selectFrom('audit_log')
      .select('actor')
      .where('entity_type', '=', 'contact')
      .execute();
    expect(audit).toEqual([{ actor: 'identify:public' }]);
    const other = await fetch(`${suite.server.url}/api/v1/contacts/1`, { method: 'DELETE' });
    expect(other.status).toBe(401);
    const trpc = await fetch(`${suite.server.url}/trpc/contacts.identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'marty@hillvalley.edu' }),
    });
    expect(trpc.status).toBe(401);
  });
});
