import type { Candidate, ReviewCase } from './reviewTypes';

export type Agreement = 'agree' | 'partial' | 'disagree' | 'none';

/** The rows of the side-by-side comparison, in the order people read a person. */
export const CASE_FIELDS: ReadonlyArray<{ key: string; label: string }> = [
  { key: 'given_name', label: 'Given name' },
  { key: 'middle_name', label: 'Middle name' },
  { key: 'family_name', label: 'Family name' },
  { key: 'full_name', label: 'Full name' },
  { key: 'date_of_birth', label: 'Date of birth' },
  { key: 'gender', label: 'Gender' },
  { key: 'birth_place', label: 'Place of birth' },
  { key: 'national_id', label: 'National ID' },
  { key: 'phone', label: 'Phone' },
  { key: 'email', label: 'Email' },
  { key: 'street_number', label: 'Number' },
  { key: 'street', label: 'Street' },
  { key: 'locality', label: 'Locality' },
  { key: 'city', label: 'City' },
  { key: 'postcode', label: 'Postcode' },
  { key: 'state', label: 'State' },
  { key: 'country', label: 'Country' },
];

/**
 * The engine's comparison level, read as a colour: exact agrees, `different` disagrees, every
 * level in between (close, typo, initial, swapped day and month...) partly agrees. The levels
 * come from the decision or the matching core on the server; nothing is compared here.
 */
export function agreementOf(level: string | undefined): Agreement {
  if (level === undefined || level === 'missing') return 'none';
  if (level === 'exact') return 'agree';
  if (level === 'different') return 'disagree';
  return 'partial';
}

export const LEVEL_LABELS: Record<string, string> = {
  exact: 'agrees',
  different: 'differs',
  missing: 'not compared',
  swapped_day_month: 'day and month swapped',
};
export const levelLabel = (level: string) => LEVEL_LABELS[level] ?? level.replaceAll('_', ' ');

export function textOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The member the record was compared with: its values are the ones the colours speak about. */
export function comparedPayload(c: Candidate): Record<string, unknown> {
  const member = c.members.find((m) => m.recordId === c.bestMemberId) ?? c.members[0];
  return member?.payload ?? c.best;
}

export function comparedRecordId(c: Candidate): string | null {
  return (c.members.find((m) => m.recordId === c.bestMemberId) ?? c.members[0])?.recordId ?? null;
}

/** Only the rows someone filled in: an empty row is noise on a screen read all day. */
export function visibleFields(view: ReviewCase) {
  const payloads = [view.record?.payload ?? {}, ...view.candidates.map(comparedPayload)];
  return CASE_FIELDS.filter((f) => payloads.some((p) => textOf(p[f.key]) !== null));
}

/** Column letters: A, B, C... as the decision buttons name the candidates. */
export const candidateLetter = (index: number) => String.fromCharCode(65 + index);

export interface FaceEvidence {
  liveness: { score: number | null; live: boolean; checked: boolean; threshold?: number } | null;
  /** ABIS scaled score of each candidate's best face hit (golden id -> score). */
  abis: Map<string, number>;
  faceWeight: number | null;
}

/** Liveness and ABIS scores from the stored explanation; absent parts stay absent. */
export function faceEvidence(explanation: Record<string, unknown> | null): FaceEvidence {
  const e = (explanation ?? {}) as {
    liveness?: FaceEvidence['liveness'];
    biometric?: { weight?: number; hits?: Array<{ goldenId: string | null; scaledScore: number }> };
  };
  const abis = new Map<string, number>();
  for (const hit of e.biometric?.hits ?? []) {
    if (!hit.goldenId) continue;
    const best = abis.get(hit.goldenId);
    if (best === undefined || !(best >= hit.scaledScore)) abis.set(hit.goldenId, hit.scaledScore);
  }
  return {
    liveness: e.liveness ?? null,
    abis,
    faceWeight: typeof e.biometric?.weight === 'number' ? e.biometric.weight : null,
  };
}
