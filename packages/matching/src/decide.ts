/**
 * The decision for one incoming record against its candidate golden records. Each golden record
 * scores as its best-matching member (a person's records differ from one another, and the
 * newest member may be the one that resembles the incoming record), less the strongest evidence
 * against the record from any of its members (scoreGolden). Thresholds are log2 odds.
 */
import type { BiometricEvidence, BiometricHit, BiometricLevel, GoldenBiometric } from './biometricEvidence';
import { comparePair, type FieldScore } from './comparePair';
import {
  datesMayAgree,
  fullDatesYearsApart,
  givenNamesAgree,
  personalIdentifierAgrees,
} from './datesYearsApart';
import { priorLog2Odds, type MatchModel, type TermFrequencies } from './model';
import type { NormalisedRecord } from './normaliseRecord';

export interface DecisionPolicy {
  /** Link automatically at or above this total (log2 odds). */
  linkThreshold: number;
  /** Send to a reviewer at or above this total and below the link threshold. */
  reviewThreshold: number;
}

/**
 * Link at even odds or better (log2 odds 0, P >= 0.5: the Fellegi-Sunter decision that
 * minimises errors, and Splink's default) and review from odds of 1 to 4 (log2 odds -2,
 * P >= 0.2). With the default prior (log2 odds -10) a link needs about 10 bits of evidence:
 * e.g. a full date of birth alone, or given and family name plus a town. The review band is
 * narrow because a record left for review is also a record not yet linked; wider bands were
 * measured to cost more recall than the precision they protect.
 */
export const DEFAULT_POLICY: DecisionPolicy = { linkThreshold: 0, reviewThreshold: -2 };

/** How many of the best candidates an explanation keeps. */
const TOP_CANDIDATES = 5;

export interface CandidateGolden {
  goldenId: string;
  members: Array<{ recordId: string; normalised: NormalisedRecord }>;
}

/** The member whose comparison speaks most strongly against the record, and how strongly. */
export interface Contradiction {
  recordId: string;
  /** log2 Bayes factor (< 0) of that member's comparison, without the prior. */
  evidence: number;
}

export interface CandidateScore {
  goldenId: string;
  /** The member that scored best. */
  recordId: string;
  /** The golden record's score: the best member's, plus `against.evidence` when a member contradicts. */
  score: number;
  /** The best member's own score, when a contradiction lowered the golden record's. */
  memberScore?: number;
  against?: Contradiction;
  /**
   * A member whose full date of birth is years from the record's, when no member's date agrees
   * with it and no member shares its national id or e-mail: the record may not link here
   * automatically, whatever the score (datesYearsApart.ts).
   */
  datesApart?: { recordId: string };
  /** With face evidence: the demographic part of the score, and the face part. */
  demographic?: number;
  biometric?: GoldenBiometric;
}

export type DecisionRule =
  | 'no_candidates'
  | 'below_review_threshold'
  | 'between_thresholds'
  | 'at_or_above_link_threshold'
  | 'several_golden_records_above_link_threshold'
  | 'best_of_several_golden_records_above_link_threshold'
  | 'date_of_birth_years_apart'
  | 'biometric_demographic_conflict';

/** The face evidence of a decision: about the candidate it explains, and what ABIS returned. */
export interface BiometricExplanation {
  level: BiometricLevel | 'none';
  /** Bits added to the score (0 when the golden record has no enrolled face). */
  weight: number;
  referenceId: string | null;
  scaledScore: number | null;
  /** The match came from verifying against the golden record's own faces after the 1:N search missed them. */
  verified?: boolean;
  strongMatchWeight: number;
  noMatchWeight: number;
  /** The best ABIS candidates, with the golden record each belongs to. */
  hits: BiometricHit[];
}

export interface Explanation {
  modelVersion: string;
  prior: number;
  /** Field by field comparison with the best candidate member; empty without candidates. */
  fields: FieldScore[];
  /** prior + the field weights (+ the contradiction, + the face weight): the decision's score. */
  total: number;
  /** The member of the explained golden record that speaks most strongly against the record. */
  against?: Contradiction;
  thresholds: { link: number; review: number };
  rule: DecisionRule;
  candidates: CandidateScore[];
  /** Present when the record's face was searched (T5-ABIS). */
  biometric?: BiometricExplanation;
}

export type ReviewKind = 'possible_match' | 'merge_proposal' | 'biometric_conflict';

/**
 * Golden records that the decided record matches above the link threshold besides the one it
 * joined: probably one person registered twice. A reviewer decides whether they merge; the
 * record's own decision does not wait for it.
 */
export interface MergeProposal {
  /** Every golden record above the link threshold, the one linked to first. */
  goldenIds: string[];
  /** The weakest of their scores: the evidence that the record bridges all of them. */
  score: number;
}

export type Decision =
  | { kind: 'new'; score: number; explanation: Explanation }
  | {
      kind: 'link';
      goldenId: string;
      recordId: string;
      score: number;
      explanation: Explanation;
      mergeProposal?: MergeProposal;
    }
  | { kind: 'review'; reviewKind: ReviewKind; goldenIds: string[]; score: number; explanation: Explanation };

interface Scored extends CandidateScore {
  fields: FieldScore[];
}

/**
 * The golden record's score: its best member's score, less the strongest evidence AGAINST the
 * record that any member gives (docs/decisions/0027-a-link-agrees-with-the-whole-golden-record.md).
 * A record joins a person, not the one member that happens to resemble it: a member saying
 * "different person" (a date of birth years apart under a common name, another national id)
 * weighs as much as it says, so one bad link does not open the door to the next.
 */
function scoreGolden(
  record: NormalisedRecord,
  golden: CandidateGolden,
  model: MatchModel,
  tf?: TermFrequencies,
): Scored | undefined {
  let best: Scored | undefined;
  let against: Contradiction | undefined;
  let apart: { recordId: string } | undefined;
  let overruled = false;
  for (const member of golden.members) {
    const pair = comparePair(record, member.normalised, model, tf);
    if (fullDatesYearsApart(record, member.normalised, pair.fields)) apart ??= { recordId: member.recordId };
    overruled ||=
      datesMayAgree(pair.fields) || givenNamesAgree(pair.fields) || personalIdentifierAgrees(pair.fields);
    // Evidence is the pair's Bayes factor, without the prior: below 0 the member says "different".
    const evidence = pair.total - pair.prior;
    if (evidence < (against?.evidence ?? 0)) against = { recordId: member.recordId, evidence };
    if (best === undefined || pair.total > best.score) {
      best = { goldenId: golden.goldenId, recordId: member.recordId, score: pair.total, fields: pair.fields };
    }
  }
  if (best === undefined) return undefined;
  if (apart !== undefined && !overruled) best.datesApart = apart;
  if (against === undefined) return best;
  return { ...best, score: best.score + against.evidence, memberScore: best.score, against };
}

export function decideRecord(
  record: NormalisedRecord,
  candidates: CandidateGolden[],
  model: MatchModel,
  policy: DecisionPolicy,
  tf?: TermFrequencies,
  biometric?: BiometricEvidence,
): Decision {
  const scored: Scored[] = [];
  for (const golden of candidates) {
    const best = scoreGolden(record, golden, model, tf);
    if (best !== undefined) scored.push(withFaceEvidence(best, biometric));
  }
  // Ties go to the lower golden id so that a replayed record gets the same answer.
  scored.sort(
    (a, b) => b.score - a.score || (a.goldenId < b.goldenId ? -1 : a.goldenId > b.goldenId ? 1 : 0),
  );
  const top = scored[0];
  const explain = (rule: DecisionRule, focus: Scored | undefined = top): Explanation => ({
    modelVersion: model.version,
    prior: priorLog2Odds(model),
    fields: focus?.fields ?? [],
    total: focus?.score ?? priorLog2Odds(model),
    thresholds: { link: policy.linkThreshold, review: policy.reviewThreshold },
    rule,
    candidates: scored.slice(0, TOP_CANDIDATES).map(({ fields: _fields, ...candidate }) => candidate),
    ...(focus?.against ? { against: focus.against } : {}),
    ...(biometric ? { biometric: explainFace(focus, biometric) } : {}),
  });
  if (top === undefined)
    return { kind: 'new', score: priorLog2Odds(model), explanation: explain('no_candidates') };
  // Face and demographics disagree: a person must look (docs/architecture.md, "Matching in one paragraph"), never an automatic link.
  const conflicts = biometric ? scored.filter((s) => isConflict(s, policy, biometric)) : [];
  const conflict = conflicts[0];
  if (conflict !== undefined) {
    const goldenIds = [
      ...new Set(
        [...conflicts, ...scored.filter((s) => s.score >= policy.reviewThreshold)].map((s) => s.goldenId),
      ),
    ];
    const explanation = explain('biometric_demographic_conflict', conflict);
    return {
      kind: 'review',
      reviewKind: 'biometric_conflict',
      goldenIds,
      score: conflict.score,
      explanation,
    };
  }
  if (top.datesApart !== undefined && top.score >= policy.linkThreshold) {
    // Everything but the date says "this person": a household member or a mistyped year, and
    // only a person can tell which (docs/decisions/0052-dates-of-birth-years-apart-in-one-household.md).
    const goldenIds = scored.filter((s) => s.score >= policy.reviewThreshold).map((s) => s.goldenId);
    const explanation = explain('date_of_birth_years_apart');
    return { kind: 'review', reviewKind: 'possible_match', goldenIds, score: top.score, explanation };
  }
  const linked = scored.filter((s) => s.score >= policy.linkThreshold && s.datesApart === undefined);
  if (linked.length > 1) {
    // Each of them is at least even odds to be this record's person, so the record is a
    // confident link; which one only matters if they are different people, and the best is the
    // likeliest. Whether they are one person is a question about the golden records, not about
    // this record: it goes to a reviewer as a merge proposal of its own.
    const explanation = explain('best_of_several_golden_records_above_link_threshold');
    const weakest = linked.at(-1);
    if (weakest === undefined) throw new Error('decide: several linked golden records but no last one');
    const mergeProposal = { goldenIds: linked.map((s) => s.goldenId), score: weakest.score };
    return {
      kind: 'link',
      goldenId: top.goldenId,
      recordId: top.recordId,
      score: top.score,
      explanation,
      mergeProposal,
    };
  }
  if (top.score >= policy.linkThreshold) {
    const explanation = explain('at_or_above_link_threshold');
    return { kind: 'link', goldenId: top.goldenId, recordId: top.recordId, score: top.score, explanation };
  }
  if (top.score >= policy.reviewThreshold) {
    const goldenIds = scored.filter((s) => s.score >= policy.reviewThreshold).map((s) => s.goldenId);
    const explanation = explain('between_thresholds');
    return { kind: 'review', reviewKind: 'possible_match', goldenIds, score: top.score, explanation };
  }
  return { kind: 'new', score: top.score, explanation: explain('below_review_threshold') };
}

/** The golden record's score with its face evidence added; the demographic part kept beside it. */
function withFaceEvidence(best: Scored, evidence: BiometricEvidence | undefined): Scored {
  const face = evidence?.byGolden.get(best.goldenId);
  if (face === undefined) return best;
  return { ...best, demographic: best.score, biometric: face, score: best.score + face.weight };
}

/**
 * A strong face match that the demographics contradict (below the review threshold), or
 * demographics that link while the golden record's enrolled face did not match.
 */
function isConflict(s: Scored, policy: DecisionPolicy, evidence: BiometricEvidence): boolean {
  if (s.biometric === undefined || s.demographic === undefined) return false;
  if (s.biometric.level === 'match') {
    return s.biometric.weight >= evidence.policy.strongMatchWeight && s.demographic < policy.reviewThreshold;
  }
  return s.demographic >= policy.linkThreshold;
}

function explainFace(focus: Scored | undefined, evidence: BiometricEvidence): BiometricExplanation {
  const face = focus?.biometric;
  return {
    level: face?.level ?? 'none',
    weight: face?.weight ?? 0,
    referenceId: face?.referenceId ?? null,
    scaledScore: face?.scaledScore ?? null,
    ...(face?.verified ? { verified: true } : {}),
    strongMatchWeight: evidence.policy.strongMatchWeight,
    noMatchWeight: evidence.policy.noMatchWeight,
    hits: evidence.hits.slice(0, TOP_CANDIDATES),
  };
}
