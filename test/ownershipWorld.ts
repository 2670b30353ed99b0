import type { TestDatabase } from './testDatabase';
import type { TestServer } from './serverHarness';
import { addUser } from '../apps/server/src/users/usersService';

/**
 * Two ingest service accounts of different organisations, A and B, and what A has submitted:
 * a decided batch whose first record links to a person an operator registered before (so its
 * explanation compares against that person's national id, email and phone), and a decided
 * streamed record. Used by the ownership tests of tRPC and REST.
 */
export interface OwnershipWorld {
  a: Account;
  b: Account;
  operatorToken: string;
  reviewerToken: string;
  /** A's completed batch, in A's source. */
  batchA: string;
  /** A's record in batchA that was decided against the operator's person. */
  recordA: { id: string; source: string; externalId: string };
  /** A's streamed record (path B), decided. */
  streamedA: { id: string; source: string; externalId: string };
  /** Values of the person the operator registered: none may reach an ingest client. */
  theirValues: string[];
}

export interface Account {
  username: string;
  userId: string;
  apiKey: string;
}

export const SOURCE_A = 'a-src';

/** The operator's person; A's record differs only in its email. */
const registered = {
  external_id: 'reg-1',
  given_name: 'Ximena',
  family_name: 'Quintanilla',
  date_of_birth: '1977-03-15',
  gender: 'F',
  national_id: '7391048265',
  phone: '+55 81 99876-1234',
  email: 'ximena.q@registry.example',
  street: 'Rua Aurora',
  city: 'Olinda',
};

export async function buildOwnershipWorld(server: TestServer, tdb: TestDatabase): Promise<OwnershipWorld> {
  const a = await serviceAccount(tdb, 'etl-a');
  const b = await serviceAccount(tdb, 'etl-b');
  const operatorToken = await server.tokenFor('operator');
  const reviewerToken = await server.tokenFor('reviewer');
  const post = async (token: string, path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 202) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };

  const theirs = await post(operatorToken, '/api/v1/records', { source: 'registry', records: [registered] });
  await decided(tdb, theirs.batchId!);
  const mine = await post(a.apiKey, '/api/v1/records', {
    source: SOURCE_A,
    records: [
      { ...registered, external_id: 'a-1', email: 'xq@a-corp.example' },
      { external_id: 'a-2', given_name: 'Teodoro', family_name: 'Brandão', date_of_birth: '1990-11-02' },
    ],
  });
  await decided(tdb, mine.batchId!);
  const streamed = await post(a.apiKey, '/api/v1/ingest', {
    source: SOURCE_A,
    record: {
      external_id: 'a-stream-1',
      given_name: 'Iolanda',
      family_name: 'Meireles',
      date_of_birth: '1985-06-21',
    },
  });
  await recordDecided(tdb, streamed.recordId!);
  const recordA = await tdb.db
    .selectFrom('records')
    .select('id')
    .where('source', '=', SOURCE_A)
    .where('external_id', '=', 'a-1')
    .executeTakeFirstOrThrow();
  return {
    a,
    b,
    operatorToken,
    reviewerToken,
    batchA: mine.batchId!,
    recordA: { id: recordA.id, source: SOURCE_A, externalId: 'a-1' },
    streamedA: { id: streamed.recordId!, source: SOURCE_A, externalId: 'a-stream-1' },
    theirValues: [
      '7391048265',
      '998761234',
      'ximena',
      'quintanilla',
      '1977-03-15',
      '19770315',
      'registry.example',
      'olinda',
      'aurora',
    ],
  };
}

async function serviceAccount(tdb: TestDatabase, username: string): Promise<Account> {
  const added = await addUser(tdb.db, { username, role: 'ingest', kind: 'service' }, 'test');
  return { username, userId: added.user.id, apiKey: added.apiKey! };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Waits until the engine has decided every record of the batch (polls its state; no time is asserted). */
async function decided(tdb: TestDatabase, batchId: string): Promise<void> {
  for (;;) {
    const pending = await tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('batch_id', '=', batchId)
      .where('status', 'in', ['received', 'relayed'])
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
    await pause();
  }
}

async function recordDecided(tdb: TestDatabase, recordId: string): Promise<void> {
  for (;;) {
    const row = await tdb.db
      .selectFrom('records')
      .select('status')
      .where('id', '=', recordId)
      .executeTakeFirst();
    if (row && row.status !== 'received' && row.status !== 'relayed') return;
    await pause();
  }
}
