import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';
import { ACCOUNT_DISABLED_CLOSE_CODE } from './accountSessions';
import { addUser } from './usersService';

const suite = useTestServer();

async function until(what: string, check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A reviewer watching the audit feed; its client does not reconnect within the test. */
async function watcher(username: string) {
  const password = `${username}-password`;
  const { user } = await addUser(suite.tdb.db, { username, role: 'reviewer', password }, 'test');
  const closes: Array<number | undefined> = [];
  const client: NexusClient = createNexusClient(
    suite.server.url,
    (await suite.server.login(username, password)).accessToken,
    {
      onWsClose: (cause) => closes.push(cause?.code),
      retryDelayMs: () => 60_000,
    },
  );
  const actions: string[] = [];
  let started = false;
  client.trpc.live.audit.subscribe(
    {},
    { onStarted: () => (started = true), onData: (e) => actions.push(`${e.data.action} ${e.data.entityId}`) },
  );
  await until(`${username} is subscribed`, () => started);
  return { userId: user.id, client, closes, actions };
}

describe('disabling an account', () => {
  it("closes the account's open WebSocket connections at once, and only its own", async () => {
    const leaving = await watcher('leaving');
    const staying = await watcher('staying');
    const admin = createNexusClient(suite.server.url, await suite.server.tokenFor('admin'));
    try {
      expect(suite.server.nexus.deps.sessions.connections(leaving.userId)).toBe(1);
      await admin.trpc.users.disable.mutate({ username: 'leaving' });

      await until('the disabled account is cut off', () => leaving.closes.length > 0, 3000);
      expect(leaving.closes).toEqual([ACCOUNT_DISABLED_CLOSE_CODE]);
      expect(suite.server.nexus.deps.sessions.connections(leaving.userId)).toBe(0);
      // The other reviewer's feed goes on: it sees the disable itself.
      await until('the other reviewer sees the disable', () =>
        staying.actions.includes(`user.disabled ${leaving.userId}`),
      );
      expect(staying.closes).toEqual([]);
      expect(suite.server.nexus.deps.sessions.connections(staying.userId)).toBe(1);
    } finally {
      await Promise.all([leaving.client.close(), staying.client.close(), admin.close()]);
    }
  });
});
