/**
 * The check a self-retrained model must pass before it decides anything
 * (docs/decisions/0040-self-retraining.md): both the model in use and the new one decide every
 * labelled case of the held-back sample (a record against one golden record, the record's own
 * membership left out), and the new one is adopted only if it is worse on no count: no more
 * false links (a false merge is the worst error), no more people left apart from their own
 * record, no fewer right answers. A review is neither right nor wrong: it costs a person's time,
 * not a wrong answer. Pure: the caller reads the sample.
 */
import { decideRecord, type CandidateGolden, type DecisionPolicy } from '../decide';
import type { MatchModel } from '../model';
import type { NormalisedRecord } from '../normaliseRecord';
import { termFrequenciesOf } from '../termFrequencies';

/** Where a label came from: a reviewer's verdict, or a decision the engine made far from its thresholds. */
export type HeldBackSource = 'reviewer' | 'confident_decision';

export interface HeldBackCase {
  record: NormalisedRecord;
  golden: CandidateGolden;
  /** The record is the person of the golden record (true) or someone else (false). */
  samePerson: boolean;
  source: HeldBackSource;
}

export interface HeldBackFigures {
  cases: number;
  right: number;
  /** Linked to a golden record of someone else. */
  falseLinks: number;
  /** Left apart (decided new) from its own person. */
  missedLinks: number;
  reviews: number;
  /** The same, on reviewers' verdicts only. */
  reviewer: { cases: number; right: number; falseLinks: number; missedLinks: number };
}

export interface HeldBackVerdict {
  accepted: boolean;
  /** Why, in a sentence a dashboard can show. */
  reason: string;
  candidate: HeldBackFigures;
  active: HeldBackFigures;
}

export function heldBackFigures(
  model: MatchModel,
  policy: DecisionPolicy,
  cases: readonly HeldBackCase[],
): HeldBackFigures {
  const tf = termFrequenciesOf(model);
  const figures: HeldBackFigures = {
    cases: cases.length,
    right: 0,
    falseLinks: 0,
    missedLinks: 0,
    reviews: 0,
    reviewer: { cases: 0, right: 0, falseLinks: 0, missedLinks: 0 },
  };
  for (const c of cases) {
    const decision = decideRecord(c.record, [c.golden], model, policy, tf);
    const right = (decision.kind === 'link' && c.samePerson) || (decision.kind === 'new' && !c.samePerson);
    const falseLink = decision.kind === 'link' && !c.samePerson;
    const missedLink = decision.kind === 'new' && c.samePerson;
    if (right) figures.right++;
    if (falseLink) figures.falseLinks++;
    if (missedLink) figures.missedLinks++;
    if (decision.kind === 'review') figures.reviews++;
    if (c.source === 'reviewer') {
      figures.reviewer.cases++;
      if (right) figures.reviewer.right++;
      if (falseLink) figures.reviewer.falseLinks++;
      if (missedLink) figures.reviewer.missedLinks++;
    }
  }
  return figures;
}

/** Both models on the same sample, and whether the candidate may replace the active model. */
export function heldBackCheck(
  candidate: MatchModel,
  active: MatchModel,
  policy: DecisionPolicy,
  cases: readonly HeldBackCase[],
): HeldBackVerdict {
  const c = heldBackFigures(candidate, policy, cases);
  const a = heldBackFigures(active, policy, cases);
  if (c.falseLinks > a.falseLinks) {
    return {
      accepted: false,
      reason: `${c.falseLinks} false links on the held-back sample where the active model makes ${a.falseLinks}`,
      candidate: c,
      active: a,
    };
  }
  if (c.missedLinks > a.missedLinks) {
    return {
      accepted: false,
      reason: `${c.missedLinks} people left apart from their own golden record on the held-back sample where the active model leaves ${a.missedLinks}`,
      candidate: c,
      active: a,
    };
  }
  if (c.right < a.right) {
    return {
      accepted: false,
      reason: `${c.right} of ${c.cases} held-back cases right where the active model gets ${a.right}`,
      candidate: c,
      active: a,
    };
  }
  return {
    accepted: true,
    reason: `not worse on ${c.cases} held-back cases: ${c.right} right (active ${a.right}), ${c.falseLinks} false links (active ${a.falseLinks})`,
    candidate: c,
    active: a,
  };
}
