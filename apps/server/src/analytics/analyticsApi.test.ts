import { describe, expect, it, vi } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { waitUntil } from '../../../../test/engineHarness';
import { createNexusClient } from '../client/createNexusClient';
import { main } from '../cli/main';
import { dayIn } from './days';
import { directFigures } from './directFigures';
import { generateSourceRows } from './analyticsTestData';

const CONTRACT_KEYS = ['day', 'source', 'received', 'new', 'linked', 'review', 'rejected', 'dead_lettered'];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('analytics API', () => {
  // The schedule is off here: the test rolls up by hand, so what it reads does not move under it.
  const suite = useTestServer({
    NEXUS_ANALYTICS_TIME_ZONE: 'America/Sao_Paulo',
    NEXUS_ROLLUP_INTERVAL_SECONDS: '0',
  });
  const get = async (path: string, token: string | null) => {
    const res = await fetch(`${suite.server.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
  };

  it('counts what the engine decided: cleaned records carry their field quality flags', async () => {
    const token = await suite.server.tokenFor('ingest');
    const res = await fetch(`${suite.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'clinic',
        records: [
          {
            external_id: 'a1',
            given_name: 'Ana',
            family_name: 'Silva',
            date_of_birth: 'soon',
            email: 'ana@example.org',
          },
          {
            external_id: 'a2',
            given_name: 'Ana',
            family_name: 'Silva',
            date_of_birth: '1990/01/02',
            phone: '12',
          },
        ],
      }),
    });
    expect(res.status).toBe(202);
    await waitUntil('both records are decided', async () => {
      const rows = await suite.tdb.db
        .selectFrom('records')
        .select('quality')
        .where('source', '=', 'clinic')
        .execute();
      return rows.length === 2 && rows.every((r) => r.quality !== null);
    });
    const rows = await suite.tdb.db
      .selectFrom('records')
      .select(['external_id', 'quality'])
      .where('source', '=', 'clinic')
      .orderBy('external_id')
      .execute();
    expect(rows[0]!.quality).toMatchObject({
      date_of_birth: 'invalid',
      phone: 'missing',
      national_id: 'missing',
    });
    expect(rows[1]!.quality).toMatchObject({ date_of_birth: 'repaired', phone: 'invalid', email: 'missing' });
  });

  it('`nexus rollup` backfills a range, prints what it wrote, and the API answers the contract shape', async () => {
    await generateSourceRows(suite.tdb.db, {
      records: 300,
      start: new Date('2026-01-10T00:00:00Z'),
      days: 3,
      seed: 3,
      tag: 'api',
    });
    const today = dayIn('UTC', new Date());
    const cli = await run(['rollup', '--from', '2026-01-09', '--to', today, '--database-url', suite.tdb.url]);
    expect(cli.err).toBe('');
    expect(cli.code).toBe(0);
    const lines = cli.out.trim().split('\n');
    expect(lines[0]).toMatch(/^UTC 2026-01-09\.\.2026-02-08: analytics_daily \d+ written, 0 deleted/);
    const summary = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    // The command reads its own environment: no NEXUS_ANALYTICS_TIME_ZONE there, so UTC only.
    expect(summary).toMatchObject({ zones: ['UTC'], from: '2026-01-09', to: today });
    expect(summary.rows_written).toBeGreaterThan(0);

    const token = await suite.server.tokenFor('reviewer');
    const res = await get('/api/v1/analytics/daily?from=2026-01-09&to=2026-01-14', token);
    expect(res.status).toBe(200);
    const { days } = JSON.parse(res.text) as { days: Array<Record<string, unknown>> };
    expect(days.length).toBeGreaterThan(5);
    for (const d of days) expect(Object.keys(d).slice(0, CONTRACT_KEYS.length)).toEqual(CONTRACT_KEYS);
    const direct = await directFigures(suite.tdb.db, 'UTC', '2026-01-09', '2026-01-14');
    for (const d of days) {
      const want = direct.daily[`${String(d.day)}|${String(d.source)}`]!;
      expect({ received: d.received, linked: d.linked, dead_lettered: d.dead_lettered }).toEqual({
        received: want.received,
        linked: want.linked,
        dead_lettered: want.dead_lettered,
      });
    }

    const census = JSON.parse(
      (await get('/api/v1/analytics/daily?from=2026-01-09&to=2026-01-14&source=census', token)).text,
    ) as { days: Array<{ source: string }> };
    expect(census.days.length).toBeGreaterThan(0);
    expect(census.days.every((d) => d.source === 'census')).toBe(true);

    const zoned = await get(
      '/api/v1/analytics/daily?from=2026-01-09&to=2026-01-14&zone=America/Sao_Paulo',
      token,
    );
    expect(zoned.status).toBe(200);

    const csv = await get('/api/v1/analytics/daily.csv?from=2026-01-09&to=2026-01-14', token);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const csvLines = csv.text.trim().split('\n');
    expect(csvLines[0]!.startsWith(CONTRACT_KEYS.join(','))).toBe(true);
    expect(csvLines.length).toBe(days.length + 1);

    // tRPC gives the same answer.
    const client = createNexusClient(suite.server.url, token);
    try {
      const viaTrpc = await client.trpc.analytics.daily.query({ from: '2026-01-09', to: '2026-01-14' });
      expect(viaTrpc).toEqual(JSON.parse(res.text));
      const report = await client.trpc.analytics.report.query({ from: '2026-01-09', to: '2026-01-14' });
      expect(report.days).toEqual(viaTrpc.days);
      expect(report.reviewers.length).toBeGreaterThan(0);
      expect(report.fieldQuality.every((q) => q.cleaned >= q.missing + 0)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses bad ranges with 400 and the fields at fault', async () => {
    const token = await suite.server.tokenFor('operator');
    const cases: Array<[string, string]> = [
      ['from=2026-02-30&to=2026-03-01', 'from'],
      ['from=yesterday&to=2026-03-01', 'from'],
      ['to=2026-03-01', 'from'],
      ['from=2026-03-02&to=2026-03-01', 'from'],
      ['from=2024-01-01&to=2026-01-01', 'to'],
      ['from=2026-01-01&to=2026-01-02&zone=Mars/Olympus', 'zone'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/api/v1/analytics/daily?${query}`, token);
      expect(res.status, query).toBe(400);
      const body = JSON.parse(res.text) as { error: { code: string; fields: Array<{ field: string }> } };
      expect(body.error.code).toBe('REQUEST.INVALID');
      expect(body.error.fields.map((f) => f.field)).toContain(field);
    }
  });

  it('is for reviewers, operators and admins; ingest clients and anonymous callers are refused', async () => {
    const path = '/api/v1/analytics/daily?from=2026-01-09&to=2026-01-10';
    expect((await get(path, null)).status).toBe(401);
    expect((await get(path, await suite.server.tokenFor('ingest'))).status).toBe(403);
    for (const role of ['reviewer', 'operator', 'admin'] as const) {
      const res = await get(path, await suite.server.tokenFor(role));
      expect(res.status, res.text).toBe(200);
    }
  });
});
