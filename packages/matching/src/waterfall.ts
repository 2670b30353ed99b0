/**
 * The reviewers' waterfall: the prior, then each field's weight in the model's field order,
 * each bar starting where the previous one ended, so that the last bar ends at the score the
 * decision was made on, drawn against the two thresholds. The member of the golden record that
 * contradicts the record most (if any) is one more bar; the face, when searched, is the last.
 */
import type { Explanation } from './decide';

export interface WaterfallStep {
  field: string;
  level: string;
  weight: number;
  /** Running total before and after this field. */
  start: number;
  end: number;
}

export interface Waterfall {
  prior: number;
  steps: WaterfallStep[];
  total: number;
  thresholds: { link: number; review: number };
}

export function waterfall(explanation: Explanation): Waterfall {
  let running = explanation.prior;
  const bars: Array<{ field: string; level: string; weight: number }> = explanation.fields.map((f) => ({
    field: f.field,
    level: f.level,
    weight: f.weight,
  }));
  // A member of the golden record that contradicts the record takes its evidence off the score.
  const against = explanation.against;
  if (against)
    bars.push({ field: 'contradicting_member', level: against.recordId, weight: against.evidence });
  // The face (T5-ABIS) is one more bar when it weighed on the decision.
  const face = explanation.biometric;
  if (face && face.level !== 'none') bars.push({ field: 'face', level: face.level, weight: face.weight });
  const steps = bars.map((f): WaterfallStep => {
    const start = running;
    running += f.weight;
    return { field: f.field, level: f.level, weight: f.weight, start, end: running };
  });
  return { prior: explanation.prior, steps, total: running, thresholds: { ...explanation.thresholds } };
}
