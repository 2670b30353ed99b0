import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

interface Answer {
  contact: { primaryContatctId: number; secondaryContactIds: number[] };
}

describe('dashboard: contacts (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  /** What a checkout would post: the real /identify route, with an ingest account's token. */
  async function identify(body: object): Promise<Answer> {
    const token = await dashboard.server.tokenFor('ingest');
    const res = await fetch(`${dashboard.server.url}/identify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('a reviewer looks up an email and sees its family as a tree with its history', async () => {
    const lorraine = await identify({ email: 'lorraine@hillvalley.edu', phoneNumber: '123456' });
    const mcfly = await identify({ email: 'mcfly@hillvalley.edu', phoneNumber: '123456' });
    const biff = await identify({ email: 'biff@hillvalley.edu', phoneNumber: '919191' });
    // Lorraine's email with Biff's phone: Biff's younger family joins Lorraine's.
    const joined = await identify({ email: 'lorraine@hillvalley.edu', phoneNumber: '919191' });
    const primary = lorraine.contact.primaryContatctId;
    const mcflyId = mcfly.contact.secondaryContactIds[0]!;
    const biffId = biff.contact.primaryContatctId;
    expect(joined.contact.primaryContatctId).toBe(primary);

    const { page } = await dashboard.signedIn('reviewer');
    // Everything the API sends the page, to show no full phone reached it before Reveal.
    const answers: Promise<string>[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/trpc/')) answers.push(res.text().catch(() => ''));
    });
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    // A look-up outside the review queue says why; the reason goes into the access record.
    await page
      .getByRole('textbox', { name: 'Reason for looking (recorded)' })
      .fill('Ticket 88: caller asked who holds this email');
    // Emails are compared trimmed and case-insensitively, as /identify compares them.
    await page.getByRole('searchbox', { name: 'Email or phone number' }).fill(' McFly@HillValley.edu ');
    await page.getByRole('button', { name: 'Look up' }).click();

    const card = page.getByRole('region', { name: `Contact family #${primary}` });
    await card.waitFor();
    const lookups = await tdb.db
      .selectFrom('access_records')
      .select(['username', 'reason'])
      .where('action', '=', 'contacts.find')
      .execute();
    expect(lookups).toContainEqual({
      username: 'reviewer-user',
      reason: 'Ticket 88: caller asked who holds this email',
    });
    const tree = card.getByRole('list', { name: 'Contacts' });
    const root = tree.locator(':scope > li');
    expect(await root.locator('.contact-node').first().textContent()).toContain('lorraine@hillvalley.edu');
    // The secondaries hang under the primary: McFly's and Biff's (demoted with the join).
    const secondaries = await root.locator('ul > li').allTextContents();
    expect(secondaries).toHaveLength(2);
    expect(secondaries.find((s) => s.includes(`#${mcflyId}`))).toContain('mcfly@hillvalley.edu');
    expect(secondaries.every((s) => s.includes('secondary'))).toBe(true);
    // Phones come masked on the dashboard (six digits: nothing of them shows) until one is revealed.
    const biffNode = root.locator('ul > li').filter({ hasText: `#${biffId}` });
    expect(await biffNode.textContent()).toContain('*****');
    expect(await card.textContent()).not.toContain('919191');
    expect(await card.textContent()).not.toContain('123456');
    const sent = (await Promise.all(answers)).join('\n');
    expect(sent).toContain('*****');
    expect(sent).not.toContain('919191');
    expect(sent).not.toContain('123456');
    await biffNode.getByRole('button', { name: 'Reveal' }).click();
    await biffNode.getByText('919191', { exact: true }).waitFor();
    // One phone revealed, recorded with the look-up's reason; McFly's stays masked.
    expect(
      await root
        .locator('ul > li')
        .filter({ hasText: `#${mcflyId}` })
        .textContent(),
    ).not.toContain('123456');
    const reveals = await tdb.db
      .selectFrom('access_records')
      .select(['username', 'action', 'subject_type', 'subject_id', 'reason'])
      .where('action', 'like', 'access.reveal.%')
      .execute();
    expect(reveals).toEqual([
      {
        username: 'reviewer-user',
        action: 'access.reveal.phone',
        subject_type: 'reveal',
        subject_id: String(biffId),
        reason: 'Ticket 88: caller asked who holds this email',
      },
    ]);

    const history = await card.getByRole('list', { name: 'History' }).locator('strong').allTextContents();
    expect(history).toEqual(
      expect.arrayContaining([
        `#${primary} created as a primary contact`,
        `#${mcflyId} created as a secondary of #${primary} (new information)`,
        `#${biffId} demoted to a secondary of #${primary} (an older family)`,
        `the family of #${biffId} joined #${primary}`,
      ]),
    );
    // The look-up lives in the address: a shared link opens the same family.
    expect(page.url()).toContain('q=McFly%40HillValley.edu');
    await dashboard.screenshot(page, 'contacts');

    // By phone, spelled differently, the same family; an unknown value says so.
    await page.getByRole('searchbox', { name: 'Email or phone number' }).fill('919-191');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.url()).toContain('q=919-191');
    await card.waitFor();
    await page.getByRole('searchbox', { name: 'Email or phone number' }).fill('nobody@hillvalley.edu');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText('No contact holds this value').waitFor();
    expect(await card.count()).toBe(0);

    // Opened by id (how a golden record links its contact families, whose values come masked).
    await page.goto(`/contacts?contact=${biffId}`);
    await card.waitFor();
    expect(await card.getByRole('list', { name: 'Contacts' }).textContent()).toContain('biff@hillvalley.edu');
  });
});
