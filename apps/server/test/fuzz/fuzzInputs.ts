/**
 * What the API fuzz suite sends: fast-check arbitraries for JSON values that are wrong in every
 * way a client can be wrong (types, sizes, nesting, strange Unicode, unknown fields), inputs
 * shaped like a procedure's input with its own field names, and valid records to mutate.
 */
import fc from 'fast-check';
import { CANONICAL_FIELDS } from '@nexus/schema';

/** Strings a parser or a database chokes on. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\uffff',
    '\u202e\u0301',
    '%',
    '%ZZ',
    '../../etc/passwd',
    'data:image/png;base64,',
    'data:,x',
    'file:///etc/passwd',
    'http://127.0.0.1:1/',
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '=HYPERLINK("x")',
    '1980-02-31',
    '0000-00-00',
    '9999-99-99',
    '00000000-0000-0000-0000-000000000000',
    'NaN',
    '-1',
    '1e309',
    '__proto__',
    'constructor',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.uuid(),
  fc.integer({ min: 1, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 0.5),
);

/** Arrays or objects nested this deep, built without recursion in the generator. */
const deepNesting = fc.tuple(fc.integer({ min: 10, max: 600 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

const scalar = fc.oneof(nastyString, nastyNumber, fc.boolean(), fc.constant(null));

/** Any JSON value, small or strange. */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 5 }) },
  { weight: 2, arbitrary: fc.dictionary(nastyString, scalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepNesting },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1000, max: 5000 }).map((n) => Array.from({ length: n }, () => 0)),
  },
);

/** A canonical record with strange values in its fields (external_id stays unique: it is the identity). */
export const strangeRecord = fc
  .record({
    fields: fc.dictionary(fc.constantFrom(...CANONICAL_FIELDS.filter((f) => f !== 'external_id')), scalar, {
      maxKeys: 6,
    }),
    extra: fc.dictionary(nastyString, scalar, { maxKeys: 2 }),
  })
  .map(({ fields, extra }) => ({ ...extra, ...fields }));

/** A record that passes validation: names with odd Unicode, and an external id of its own. */
export const validRecord = fc
  .record({
    given_name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    family_name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    date_of_birth: fc.constantFrom('1980-01-02', '19800102', '1980-01', '1980', '2040-13-40', ''),
    email: fc.oneof(fc.emailAddress(), fc.constant('not-an-email')),
    phone: fc.oneof(fc.string({ maxLength: 15 }), fc.constant('+55 11 91234-5678')),
    national_id: fc.string({ maxLength: 15 }),
  })
  .map((r) => ({ external_id: `fz-${crypto.randomUUID()}`, ...r }));

/**
 * An input for a procedure or route whose input object has `keys`: its own field names with
 * wrong, odd or sometimes right values, unknown fields beside them, or no object at all.
 */
export function inputFor(keys: readonly string[], known: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const value = fc.oneof({ weight: 3, arbitrary: jsonValue }, { weight: 2, arbitrary: known });
  const shaped =
    keys.length === 0
      ? fc.dictionary(nastyString, value, { maxKeys: 3 })
      : fc
          .record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] })
          .chain((own) =>
            fc.dictionary(nastyString, scalar, { maxKeys: 2 }).map((extra) => ({ ...extra, ...own })),
          );
  return fc.oneof(
    { weight: 5, arbitrary: shaped },
    { weight: 1, arbitrary: jsonValue },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}
