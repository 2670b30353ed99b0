/**
 * The local adapter: names and places in other scripts romanised (romanise.ts), and every name
 * given the transliteration variants it is also compared and blocked by
 * (transliterationVariants.ts). No network, no state: the same record always gets the same answer.
 */
import type { CanonicalRecord } from '@nexus/schema';
import { normaliseRecord, type NormaliseOptions, type NormalisedRecord } from '@nexus/matching';
import type { AdapterAnswer, AlternateForms, EnrichmentAdapter, Enriching, FieldChange } from './enrichment';
import { romanise, scriptsOf } from './romanise';
import { givenNameVariantRoot, spellingSkeleton } from './transliterationVariants';

/** Fields worth romanising: names and places (identifiers, dates and e-mails are not text). */
const ROMANISED_FIELDS = [
  'given_name',
  'middle_name',
  'family_name',
  'full_name',
  'street',
  'locality',
  'city',
  'state',
  'country',
  'birth_place',
] as const;

/** Skeletons sit among the Double Metaphone codes, marked so that they never equal a code. */
export const SKELETON_MARK = '~';

export class TranslitAdapter implements EnrichmentAdapter {
  readonly name = 'translit';

  constructor(private readonly options: NormaliseOptions = {}) {}

  enrich(input: Enriching): Promise<AdapterAnswer> {
    return Promise.resolve(this.answer(input));
  }

  /** Synchronous, for callers with no time to lose (and the LLM adapter's fallback). */
  answer(input: Enriching): AdapterAnswer {
    const { record, changed, scripts } = romaniseRecord(input.record);
    const renormalised = changed.length > 0 ? normaliseRecord(record, this.options) : input.normalised;
    const { normalised, alternates } = withVariants(renormalised);
    const applied = changed.length > 0 || alternates.length > 0;
    return {
      result: { record, normalised },
      contribution: {
        outcome: applied ? 'applied' : 'unchanged',
        ...(scripts.length > 0 ? { scripts } : {}),
        ...(changed.length > 0 ? { changed } : {}),
        ...(alternates.length > 0 ? { alternates } : {}),
      },
    };
  }
}

function romaniseRecord(record: CanonicalRecord): {
  record: CanonicalRecord;
  changed: FieldChange[];
  scripts: string[];
} {
  const next: CanonicalRecord = { ...record };
  const changed: FieldChange[] = [];
  const scripts = new Set<string>();
  for (const field of ROMANISED_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    const latin = romanise(value);
    if (latin === undefined) continue;
    next[field] = latin;
    changed.push({ field, from: value, to: latin });
    for (const s of scriptsOf(value)) scripts.add(s);
  }
  return { record: next, changed, scripts: [...scripts] };
}

/**
 * Alternate forms joined to what the matcher already intersects: a given name's variant group
 * to its roots (compared as nicknames are, and blocked under the group's spelling), skeletons to
 * the phonetic codes (after them, so the codes that block stay first).
 */
export function withVariants(n: NormalisedRecord): {
  normalised: NormalisedRecord;
  alternates: AlternateForms[];
} {
  const out: NormalisedRecord = { ...n };
  const alternates: AlternateForms[] = [];
  if (n.given !== undefined) {
    const forms: string[] = [];
    const root = givenNameVariantRoot(n.given);
    if (root !== undefined && !(n.givenRoots ?? []).includes(root)) {
      out.givenRoots = [...(n.givenRoots ?? [n.given]), root].sort();
      forms.push(root);
    }
    const skeleton = spellingSkeleton(n.given);
    if (skeleton !== undefined) {
      out.givenCodes = [...new Set([...(n.givenCodes ?? []), SKELETON_MARK + skeleton])];
      if (skeleton !== n.given) forms.push(SKELETON_MARK + skeleton);
    }
    if (forms.length > 0) alternates.push({ field: 'given_name', forms });
  }
  if (n.family !== undefined) {
    const skeleton = spellingSkeleton(n.family);
    if (skeleton !== undefined) {
      out.familyCodes = [...new Set([...(n.familyCodes ?? []), SKELETON_MARK + skeleton])];
      if (skeleton !== n.family) alternates.push({ field: 'family_name', forms: [SKELETON_MARK + skeleton] });
    }
  }
  return { normalised: out, alternates };
}
