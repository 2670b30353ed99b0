/**
 * Checks of the provisioned Grafana (infra/grafana): the data sources, the dashboard provider,
 * and the dashboard JSON: its structure, that every panel and target names a provisioned data
 * source, and that every query names what exists: a Prometheus expression only metrics the
 * server exports (apps/server/src/metrics), an SQL query only tables the migrations create.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface Check {
  file: string;
  problems: string[];
  summary: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Metric names the server registers (`name: 'nexus_...'`), with a histogram's series. */
export function exportedMetrics(): Set<string> {
  const dir = path.join(ROOT, 'apps/server/src/metrics');
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/name:\s*'(nexus_[a-z0-9_]+)'/g)) {
      names.add(m[1]!);
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m[1]!}${suffix}`);
    }
  }
  return names;
}

/** Tables the migrations create. */
export function migratedTables(): Set<string> {
  const dir = path.join(ROOT, 'packages/schema/src/migrations');
  const tables = new Set<string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(
      /create table (?:if not exists )?([a-z_][a-z0-9_]*)/g,
    ))
      tables.add(m[1]!);
  }
  return tables;
}

interface Target {
  refId?: string;
  datasource?: { uid?: string };
  expr?: string;
  rawSql?: string;
}
interface Panel {
  id?: number;
  title?: string;
  type?: string;
  datasource?: { uid?: string };
  targets?: Target[];
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
}

export function checkGrafana(grafanaDir: string): Check[] {
  const checks: Check[] = [];
  const dsFile = path.join(grafanaDir, 'provisioning/datasources/datasources.yml');
  const ds = parse(readFileSync(dsFile, 'utf8')) as {
    apiVersion?: number;
    datasources?: Array<Record<string, unknown>>;
  };
  const dsProblems: string[] = [];
  if (ds.apiVersion !== 1) dsProblems.push('apiVersion must be 1');
  const sources = new Map<string, string>();
  for (const d of ds.datasources ?? []) {
    if (typeof d.uid !== 'string' || typeof d.type !== 'string' || typeof d.url !== 'string')
      dsProblems.push(`data source ${String(d.name)} needs uid, type and url`);
    else sources.set(d.uid, d.type);
  }
  const types = new Set(sources.values());
  if (!types.has('prometheus')) dsProblems.push('no Prometheus data source');
  if (!types.has('grafana-postgresql-datasource')) dsProblems.push('no Postgres data source');
  checks.push({ file: dsFile, problems: dsProblems, summary: `${sources.size} data sources` });

  const providerFile = path.join(grafanaDir, 'provisioning/dashboards/dashboards.yml');
  const provider = parse(readFileSync(providerFile, 'utf8')) as {
    apiVersion?: number;
    providers?: Array<{ type?: string; options?: { path?: string } }>;
  };
  const providerProblems: string[] = [];
  if (provider.apiVersion !== 1) providerProblems.push('apiVersion must be 1');
  if (!provider.providers?.some((p) => p.type === 'file' && typeof p.options?.path === 'string'))
    providerProblems.push('needs a file provider with options.path');
  checks.push({ file: providerFile, problems: providerProblems, summary: 'file provider' });

  const metrics = exportedMetrics();
  const tables = migratedTables();
  const dashDir = path.join(grafanaDir, 'dashboards');
  for (const f of readdirSync(dashDir).filter((f) => f.endsWith('.json'))) {
    const file = path.join(dashDir, f);
    const problems: string[] = [];
    const dash = JSON.parse(readFileSync(file, 'utf8')) as { uid?: string; title?: string; panels?: Panel[] };
    if (!dash.uid || !dash.title) problems.push('needs uid and title');
    const ids = new Set<number>();
    for (const panel of dash.panels ?? []) {
      const name = `panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
      if (panel.id === undefined || ids.has(panel.id)) problems.push(`${name}: needs a unique id`);
      else ids.add(panel.id);
      if (!panel.type || !panel.gridPos) problems.push(`${name}: needs type and gridPos`);
      const uid = panel.datasource?.uid;
      if (!uid || !sources.has(uid))
        problems.push(`${name}: data source ${uid ?? '(none)'} is not provisioned`);
      if (!panel.targets?.length) problems.push(`${name}: no query`);
      for (const t of panel.targets ?? []) {
        const tuid = t.datasource?.uid ?? uid;
        const type = tuid ? sources.get(tuid) : undefined;
        if (type === 'prometheus') {
          const used = [...(t.expr ?? '').matchAll(/\b(nexus_[a-z0-9_]+)/g)].map((m) => m[1]!);
          if (used.length === 0)
            problems.push(`${name} ${t.refId ?? ''}: the expression names no nexus metric`);
          for (const m of used)
            if (!metrics.has(m)) problems.push(`${name}: metric ${m} is not exported by the server`);
        } else if (type === 'grafana-postgresql-datasource') {
          const used = [...(t.rawSql ?? '').matchAll(/\b(?:from|join)\s+([a-z_][a-z0-9_]*)/gi)].map(
            (m) => m[1]!,
          );
          if (used.length === 0) problems.push(`${name} ${t.refId ?? ''}: the query names no table`);
          for (const table of used)
            if (!tables.has(table)) problems.push(`${name}: table ${table} does not exist`);
        } else problems.push(`${name} ${t.refId ?? ''}: unknown data source ${tuid ?? '(none)'}`);
      }
    }
    checks.push({
      file,
      problems,
      summary: `${ids.size} panels; every query names an exported metric or a table`,
    });
  }
  return checks;
}
