import { describe, expect, it, vi } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { main } from './main';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('nexus erase', () => {
  const suite = useTestServer();

  it('dry-runs, erases through the server, and refuses what cannot be erased', async () => {
    const ingest = await suite.server.tokenFor('ingest');
    const sent = await fetch(`${suite.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'cli',
        records: [
          { external_id: 'c1', given_name: 'Ines', family_name: 'Carvalho', date_of_birth: '1990-05-06' },
        ],
      }),
    });
    expect(sent.status).toBe(202);
    let golden: string | undefined;
    for (let i = 0; i < 200 && !golden; i++) {
      golden = (await suite.tdb.db.selectFrom('golden_record_members').select('golden_id').executeTakeFirst())
        ?.golden_id;
      if (!golden) await new Promise((r) => setTimeout(r, 100));
    }
    const admin = await suite.server.tokenFor('admin');
    const common = ['--reason', 'data subject request', '--url', suite.server.url, '--token', admin];
    const dry = await run(['erase', '--customer', golden!, '--dry-run', ...common]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({
      dryRun: true,
      goldenRecords: [{ goldenId: golden, outcome: 'erased' }],
    });
    const payload = await suite.tdb.db.selectFrom('records').select('payload').executeTakeFirstOrThrow();
    expect(payload.payload).toMatchObject({ given_name: 'Ines' });

    const done = await run(['erase', '--customer', golden!, ...common]);
    expect(done.code).toBe(0);
    const answer = JSON.parse(done.out) as { dryRun: boolean; erasureId: string | null };
    expect(answer.dryRun).toBe(false);
    expect(answer.erasureId).toMatch(/^[0-9a-f-]{36}$/);
    const erased = await suite.tdb.db
      .selectFrom('records')
      .select(['payload', 'erased_at'])
      .executeTakeFirstOrThrow();
    expect(erased.payload).toEqual({});
    expect(erased.erased_at).not.toBeNull();

    const again = await run(['erase', '--customer', golden!, ...common]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already erased');
    const both = await run(['erase', '--customer', golden!, '--record', golden!, ...common]);
    expect(both.code).toBe(1);
    expect(both.err).toContain('--customer or --record');
    const reviewer = await suite.server.tokenFor('reviewer');
    const refused = await run([
      'erase',
      '--customer',
      golden!,
      '--dry-run',
      '--reason',
      'x y z',
      '--url',
      suite.server.url,
      '--token',
      reviewer,
    ]);
    expect(refused.code).toBe(1);
  });
});
