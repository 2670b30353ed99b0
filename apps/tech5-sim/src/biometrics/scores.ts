/**
 * From a Hamming distance to the scores an ABIS reports. The impostor distribution is known: two
 * unrelated codes differ like fair coins, Binomial(512, 1/2), and a small share of impostor pairs
 * are relatives, Binomial(512, ~0.3). Its lower tail at a distance is the false match rate there;
 * the scaled score is -10·log10 of it (30: one false match in 1,000 comparisons), capped at 100.
 */
import { numberAt } from '../numberAt';
import { RELATIVE_DIFFERENCE, TEMPLATE_BITS } from './templates';

/** Share of impostor comparisons that are between look-alike relatives. */
export const RELATIVE_SHARE = 0.001;
export const MAX_SCALED_SCORE = 100;

function logBinomialPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  let logChoose = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logChoose += Math.log(n - k + 1) - Math.log(k);
    out[k] = logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p);
  }
  return out;
}

/** log10 of the false match rate at each distance 0..TEMPLATE_BITS. */
function log10FalseMatchRates(): Float64Array {
  const n = TEMPLATE_BITS;
  const unrelated = logBinomialPmf(n, 0.5);
  const relatives = logBinomialPmf(n, RELATIVE_DIFFERENCE + 0.06);
  const out = new Float64Array(n + 1);
  let cumulative = 0;
  for (let d = 0; d <= n; d++) {
    cumulative +=
      (1 - RELATIVE_SHARE) * Math.exp(numberAt(unrelated, d, 'unrelated pmf')) +
      RELATIVE_SHARE * Math.exp(numberAt(relatives, d, 'relatives pmf'));
    out[d] = Math.log10(Math.max(cumulative, 1e-300));
  }
  return out;
}

const LOG10_FMR = log10FalseMatchRates();

/** -10·log10(FMR) at a distance, 0..100. */
export function scaledScore(distance: number): number {
  const v = -10 * numberAt(LOG10_FMR, Math.max(0, Math.min(TEMPLATE_BITS, distance)), 'false match rates');
  return Math.max(0, Math.min(MAX_SCALED_SCORE, v));
}

/** Similarity of two codes: 1 when identical, 0 at the distance of unrelated codes or beyond. */
export function internalScore(distance: number): number {
  return Math.max(0, 1 - (2 * distance) / TEMPLATE_BITS);
}

/**
 * The largest distance a candidate may have so that false candidates stay at or below the target
 * FPIR (as -10·log10) over a search of `gallerySize` comparisons: N · FMR(d) <= 10^(-target/10).
 */
export function maxDistanceForTarget(targetFpir: number, gallerySize: number): number {
  const limit = -targetFpir / 10 - Math.log10(Math.max(1, gallerySize));
  let d = -1;
  while (d < TEMPLATE_BITS && numberAt(LOG10_FMR, d + 1, 'false match rates') <= limit) d++;
  return d;
}
