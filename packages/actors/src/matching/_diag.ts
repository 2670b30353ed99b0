import { fileURLToPath } from 'node:url';
import { blockingKeys } from './blockingKeys';
import { decideRecord, DEFAULT_POLICY, type CandidateGolden } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import { loadDataSets } from './evaluationData';
import { normaliseRecord } from './normaliseRecord';
import { termFrequenciesOf } from './termFrequencies';
import { trainOnRecords } from './training/trainOnRecords';
const dir = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
const set = loadDataSets(dir).find((s) => s.name === (process.argv[2] ?? 'rldata500'))!;
const n = set.records.map((r) => normaliseRecord(r.record));
const model = trainOnRecords(DEFAULT_MODEL, n, { version: 't' }).model;
const tf = termFrequenciesOf(model);
const clusterOfKey = new Map<string, Set<string>>();
const members = new Map<string, CandidateGolden['members']>();
const clusterOf: Array<string | undefined> = [];
const decisions: string[] = [];
n.forEach((r, i) => {
  const keys = blockingKeys(r);
  const ids = new Set<string>();
  for (const k of keys) for (const c of clusterOfKey.get(k) ?? []) ids.add(c);
  const d = decideRecord(
    r,
    [...ids].map((g) => ({ goldenId: g, members: members.get(g) ?? [] })),
    model,
    DEFAULT_POLICY,
    tf,
  );
  let c: string | undefined;
  if (d.kind === 'link') c = d.goldenId;
  else if (d.kind === 'new') {
    c = `g${i}`;
    members.set(c, []);
  }
  decisions.push(
    `${d.kind} ${d.score.toFixed(1)} ${JSON.stringify(d.explanation.candidates.slice(0, 2).map((x) => [x.score.toFixed(1), x.memberScore?.toFixed(1), x.against?.evidence.toFixed(1)]))}`,
  );
  clusterOf.push(c);
  if (!c) return;
  members.get(c)!.push({ recordId: String(i), normalised: r });
  for (const k of keys) {
    const s = clusterOfKey.get(k) ?? new Set();
    s.add(c);
    clusterOfKey.set(k, s);
  }
});
const show = (i: number) =>
  `${set.records[i]!.record.given_name} ${set.records[i]!.record.family_name} ${set.records[i]!.record.date_of_birth} [${decisions[i]}]`;
for (let i = 0; i < n.length; i++)
  for (let j = i + 1; j < n.length; j++) {
    const same = set.records[i]!.entity === set.records[j]!.entity;
    const together = clusterOf[i] !== undefined && clusterOf[i] === clusterOf[j];
    if (same && !together) console.log('MISSED', show(i), '||', show(j));
    if (!same && together) console.log('FALSE', show(i), '||', show(j));
  }
