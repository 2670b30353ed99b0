#!/usr/bin/env node
// A third-party test script for the Bitespeed /identify contract: plain Node (18+), fetch
// against $URL, nothing imported from the service under test. Exits 0 when every check passes.
//
//   URL=http://127.0.0.1:3000 node test/identify/bitespeedContract.mjs
//
// Values carry a run id, so the script passes on a database that already holds contacts.

const BASE_URL = (process.env.URL ?? process.argv[2] ?? 'http://localhost:3000').replace(/\/$/, '');
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const digits = String(Date.now()).slice(-6);
const email = (name) => `${name}.${RUN}@hillvalley.edu`;
const phone = (n) => `${n}${digits}`;

let passed = 0;
let failed = 0;

async function identify(body) {
  const res = await fetch(`${BASE_URL}/identify`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, text };
}

function check(name, condition, detail) {
  if (condition) {
    passed++;
    console.log(`  ok   ${name}`);
  } else {
    failed++;
    console.log(`  FAIL ${name}${detail === undefined ? '' : `\n       ${JSON.stringify(detail)}`}`);
  }
}

const sameList = (a, b) => Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
const primaryId = (c) => c.primaryContatctId;

function wellFormed(name, res) {
  const c = res.body?.contact;
  check(`${name}: 200`, res.status === 200, res.text);
  check(
    `${name}: contact shape`,
    c !== undefined &&
      Number.isInteger(c.primaryContatctId) &&
      Array.isArray(c.emails) &&
      Array.isArray(c.phoneNumbers) &&
      Array.isArray(c.secondaryContactIds) &&
      c.secondaryContactIds.every(Number.isInteger),
    res.body,
  );
  return c ?? { emails: [], phoneNumbers: [], secondaryContactIds: [] };
}

async function main() {
  console.log(`Bitespeed /identify contract against ${BASE_URL}/identify`);

  // 1. A new customer: a primary contact.
  const lorraine = email('lorraine');
  const mcfly = email('mcfly');
  const p1 = phone('12');
  const first = wellFormed('new customer', await identify({ email: lorraine, phoneNumber: p1 }));
  check(
    'new customer: one email, one phone, no secondaries',
    sameList(first.emails, [lorraine]) &&
      sameList(first.phoneNumbers, [p1]) &&
      first.secondaryContactIds.length === 0,
    first,
  );
  const primary = primaryId(first);

  // 2. Same phone, new email: a secondary contact linked to the primary.
  const second = wellFormed('new email on a known phone', await identify({ email: mcfly, phoneNumber: p1 }));
  check('secondary: same primary', primaryId(second) === primary, second);
  check('secondary: primary email first', sameList(second.emails, [lorraine, mcfly]), second.emails);
  check('secondary: one phone', sameList(second.phoneNumbers, [p1]), second.phoneNumbers);
  check('secondary: one secondary id', second.secondaryContactIds.length === 1, second.secondaryContactIds);
  const secondaryId = second.secondaryContactIds[0];

  // 3. The same request again creates nothing.
  const again = wellFormed('repeat', await identify({ email: mcfly, phoneNumber: p1 }));
  check('repeat: same answer', JSON.stringify(again) === JSON.stringify(second), again);

  // 4. Any one value, or both nulls around one, return the whole family.
  for (const [name, body] of [
    ['phone only', { phoneNumber: p1 }],
    ['primary email only', { email: lorraine }],
    ['secondary email only', { email: mcfly, phoneNumber: null }],
    ['phone as a number', { email: null, phoneNumber: Number(p1) }],
  ]) {
    const c = wellFormed(name, await identify(body));
    check(
      `${name}: the family`,
      primaryId(c) === primary &&
        sameList(c.emails, [lorraine, mcfly]) &&
        sameList(c.secondaryContactIds, [secondaryId]),
      c,
    );
  }

  // 5. Two primaries joined by a request: the older stays primary, the newer becomes secondary.
  const george = email('george');
  const biff = email('biffsucks');
  const p2 = phone('91');
  const p3 = phone('71');
  const g = wellFormed('george', await identify({ email: george, phoneNumber: p2 }));
  const b = wellFormed('biff', await identify({ email: biff, phoneNumber: p3 }));
  check('two separate primaries', primaryId(g) !== primaryId(b) && b.secondaryContactIds.length === 0, [
    g,
    b,
  ]);
  const joined = wellFormed('bridge', await identify({ email: george, phoneNumber: p3 }));
  check('bridge: the older primary stays primary', primaryId(joined) === primaryId(g), joined);
  check('bridge: emails, primary first', sameList(joined.emails, [george, biff]), joined.emails);
  check('bridge: phones, primary first', sameList(joined.phoneNumbers, [p2, p3]), joined.phoneNumbers);
  check(
    'bridge: the newer primary is a secondary',
    sameList(joined.secondaryContactIds, [primaryId(b)]),
    joined,
  );
  const fromBiff = wellFormed('bridge seen from the other side', await identify({ email: biff }));
  check(
    'bridge: same family from either side',
    JSON.stringify(fromBiff) === JSON.stringify(joined),
    fromBiff,
  );

  // 6. Bad input: 400, never 500.
  for (const [name, body] of [
    ['empty object', {}],
    ['both null', { email: null, phoneNumber: null }],
    ['email of the wrong type', { email: 42 }],
    ['phone of the wrong type', { phoneNumber: { n: 1 } }],
    ['not JSON', '{"email": '],
  ]) {
    const res = await identify(body);
    check(`bad input (${name}): 400`, res.status === 400, { status: res.status, body: res.text });
  }

  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
