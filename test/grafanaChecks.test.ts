import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkGrafana } from '../infra/validate/grafanaChecks';

const GRAFANA = path.resolve(import.meta.dirname, '../infra/grafana');

describe('validate:infra on the provisioned Grafana', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nexus-grafana-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the dashboard in infra/grafana', () => {
    expect(checkGrafana(GRAFANA).flatMap((c) => c.problems)).toEqual([]);
  });

  it('fails a query that names a metric the server does not export or a table that does not exist', () => {
    cpSync(GRAFANA, dir, { recursive: true });
    const file = path.join(dir, 'dashboards/nexus.json');
    const dash = JSON.parse(readFileSync(file, 'utf8')) as {
      panels: Array<{ targets: Array<{ expr?: string; rawSql?: string }> }>;
    };
    dash.panels[0]!.targets[0]!.expr = 'rate(nexus_records_decide_total[1m])';
    dash.panels[4]!.targets[0]!.rawSql = 'select day as time, received from analytics_dayly';
    writeFileSync(file, JSON.stringify(dash));
    expect(checkGrafana(dir).flatMap((c) => c.problems)).toEqual([
      expect.stringContaining('metric nexus_records_decide_total is not exported'),
      expect.stringContaining('table analytics_dayly does not exist'),
    ]);
  });
});
