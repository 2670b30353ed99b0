// npm run bench:identify:profile [-- --contacts=N --requests=N]: where one /identify call spends
// its time, one call at a time (no queueing) over the pre-filled table of bench:identify: the
// statements each kind of request sends and the time spent in them, what the REST route adds
// (API-key authentication), and the JavaScript of every call (validation, normalisation, answer).
// Run by hand, not in CI; writes its section of docs/benchmarks.md.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest, type Db } from '@nexus/actors';
import { identifyInput, type Database } from '@nexus/schema';
import { authenticate } from '../apps/server/src/auth/authService';
import { contactRequest } from '../apps/server/src/identify/contactValues';
import { identifyContact } from '../apps/server/src/identify/identifyContact';
import { freshDatabase, ingestApiKey } from './benchDatabase';
import { fillContacts } from './identifyDatabase';
import { knownContact } from './identifyClients';
import { numberArg } from './args';
import { loadAverage, machineLine, writeBenchmarkSection } from './report';

const CONTACTS = numberArg('contacts', 1_000_000);
const REQUESTS = numberArg('requests', 400);

/** Statements sent and the time they took, as Kysely's query log reports them. */
const counted = { statements: 0, ms: 0 };

const pick = () => 1 + Math.floor(Math.random() * CONTACTS);
let fresh = 0;
const KINDS = {
  'lookup, email only': () => ({ email: knownContact(pick()).email }),
  'lookup, phone only': () => ({ phoneNumber: knownContact(pick()).phoneNumber }),
  'lookup, both values': () => knownContact(pick()),
  'new identity': () => {
    fresh++;
    return { email: `p${fresh}@new.bench.test`, phoneNumber: `6${String(fresh).padStart(9, '0')}` };
  },
  'bridge of two families': () => ({
    email: knownContact(pick()).email,
    phoneNumber: knownContact(pick()).phoneNumber,
  }),
} satisfies Record<string, () => { email?: string; phoneNumber?: string }>;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main() {
  const database = await freshDatabase('identify');
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const db: Db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log(event) {
      if (event.level !== 'query') return;
      counted.statements++;
      counted.ms += event.queryDurationMillis;
    },
  });
  try {
    await migrateToLatest(db);
    const fillSeconds = await fillContacts(db, CONTACTS);
    const apiKey = await ingestApiKey(db, 'bench-profile');
    const rows: string[] = [];
    const measure = async (label: string, call: () => Promise<unknown>) => {
      for (let i = 0; i < 50; i++) await call(); // warm-up: JIT, plans
      const statements: number[] = [];
      const inDb: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        counted.statements = 0;
        counted.ms = 0;
        const t0 = performance.now();
        await call();
        wall.push(performance.now() - t0);
        statements.push(counted.statements);
        inDb.push(counted.ms);
      }
      rows.push(
        `| ${label} | ${mean(statements).toFixed(1)} | ${mean(wall).toFixed(2)} ms | ${mean(inDb).toFixed(2)} ms |`,
      );
    };
    for (const [label, body] of Object.entries(KINDS)) {
      await measure(label, () => identifyContact(db, contactRequest(body(), undefined), 'bench'));
    }
    const auth = { db, tokens: undefined as never, refreshTtlSeconds: 0 };
    await measure('REST authentication (API key)', () => authenticate(auth, apiKey));

    // The JavaScript every call runs besides the database: parse, validate, normalise, answer.
    const bodies = Array.from({ length: 2000 }, (_, i) => JSON.stringify(knownContact(1 + i)));
    const t0 = performance.now();
    for (let round = 0; round < 5; round++)
      for (const text of bodies) contactRequest(identifyInput.parse(JSON.parse(text)), undefined);
    const jsUs = ((performance.now() - t0) * 1000) / (bodies.length * 5);

    const body = `
${machineLine()}, load average ${loadAverage().toFixed(1)} (2 cores shared with other work).
${CONTACTS.toLocaleString('en')} contacts pre-filled as for bench:identify (${fillSeconds.toFixed(0)} s), then ${REQUESTS}
calls of each kind one after another (after 50 to warm up), straight to \`identifyContact\` on a
pool of 2 connections, statements counted by Kysely's query log (a transaction's BEGIN and COMMIT
included). Wall time is the call as its caller sees it; "in statements" is the part spent waiting
for Postgres's answers.

| call | statements | wall time, mean | in statements, mean |
|---|---|---|---|
${rows.join('\n')}

JavaScript of one call outside the database (JSON.parse, the zod schema, email and phone keys
with libphonenumber-js): ${jsUs.toFixed(1)} µs.
`;
    writeBenchmarkSection('/identify, one call at a time (npm run bench:identify:profile)', body);
    console.log(body);
  } finally {
    await db.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
