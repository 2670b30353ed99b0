/**
 * The liveness detector of the simulated T5-LDS. It reads pixels only (not the capture mark), and
 * looks for what a re-captured picture leaves behind:
 * - periodicity: a screen's pixel grid or a print's halftone beats against the camera's sensor
 *   and leaves a periodic texture; in the high-passed image that shows as an autocorrelation that
 *   swings strongly negative at a short lag (half the period) and positive at the period;
 * - frame: a screen's bezel or a photo's paper edge: straight, long edges on all four sides.
 * A live face has neither (its texture is sensor noise and its edges are curves).
 */
import { grayscale, type RgbaImage } from '../faces/image';
import { numberAt } from '../numberAt';

export const DEFAULT_LIVENESS_THRESHOLD = 0.5;

export interface LivenessAssessment {
  score: number;
  live: boolean;
  threshold: number;
  quality: number;
  indicators: { periodicity: number; frame: number; sharpness: number; exposure: number; contrast: number };
}

export function assessLiveness(image: RgbaImage, threshold = DEFAULT_LIVENESS_THRESHOLD): LivenessAssessment {
  const gray = grayscale(image);
  const { width, height } = image;
  const high = highPass(gray, width, height);
  const periodicity = Math.max(swing(high, width, height, 1, 0), swing(high, width, height, 0, 1));
  const frame = rectangleEdges(gray, width, height);
  const score = sigmoid(5 - 9 * Math.max(0, periodicity - 0.35) - 10 * Math.max(0, frame - 0.45));
  const { sharpness, exposure, contrast } = captureQuality(gray, high);
  const quality = clamp01(
    0.35 * Math.min(1, sharpness / 6) + 0.35 * exposure + 0.3 * Math.min(1, contrast / 45),
  );
  return {
    score,
    live: score >= threshold,
    threshold,
    quality,
    indicators: { periodicity, frame, sharpness, exposure, contrast },
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/** The image minus its 3x3 local mean. */
function highPass(gray: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(gray.length);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) sum += numberAt(gray, (y + dy) * width + x + dx, 'grayscale image');
      out[y * width + x] = numberAt(gray, y * width + x, 'grayscale image') - sum / 9;
    }
  }
  return out;
}

/**
 * How far the normalised autocorrelation of the high-passed image swings between lags 2 and 8
 * along one direction: max - min. Periodic texture swings by more than 1; noise and faces do not.
 */
function swing(high: Float32Array, width: number, height: number, sx: number, sy: number): number {
  let energy = 0;
  for (const v of high) energy += v * v;
  if (energy === 0) return 0;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (let lag = 2; lag <= 8; lag++) {
    let sum = 0;
    const ox = sx * lag;
    const oy = sy * lag;
    for (let y = 1; y < height - 1 - oy; y++) {
      const row = y * width;
      const other = (y + oy) * width + ox;
      for (let x = 1; x < width - 1 - ox; x++)
        sum += numberAt(high, row + x, 'high-passed image') * numberAt(high, other + x, 'high-passed image');
    }
    const r = sum / energy;
    if (r > max) max = r;
    if (r < min) min = r;
  }
  return max - min;
}

/**
 * Straight edges of a rectangle around the face: for each side, the longest run-free share of a
 * row (or column) in that side's quarter of the image where the brightness steps the same way.
 * The weakest of the four sides is the indicator, so one straight line (a fringe) is not a frame.
 */
function rectangleEdges(gray: Float32Array, width: number, height: number): number {
  const at = (x: number, y: number) => numberAt(gray, y * width + x, 'grayscale image');
  const rowEdge = (y: number) => {
    let up = 0;
    let down = 0;
    const x0 = Math.floor(width * 0.25);
    const x1 = Math.ceil(width * 0.75);
    for (let x = x0; x < x1; x++) {
      const step = at(x, y + 1) - at(x, y - 1);
      if (step > 30) up++;
      else if (step < -30) down++;
    }
    return Math.max(up, down) / (x1 - x0);
  };
  const columnEdge = (x: number) => {
    let up = 0;
    let down = 0;
    const y0 = Math.floor(height * 0.25);
    const y1 = Math.ceil(height * 0.75);
    for (let y = y0; y < y1; y++) {
      const step = at(x + 1, y) - at(x - 1, y);
      if (step > 30) up++;
      else if (step < -30) down++;
    }
    return Math.max(up, down) / (y1 - y0);
  };
  const best = (from: number, to: number, edge: (i: number) => number) => {
    let m = 0;
    for (let i = from; i < to; i++) m = Math.max(m, edge(i));
    return m;
  };
  const top = best(1, Math.floor(height / 4), rowEdge);
  const bottom = best(Math.floor((height * 3) / 4), height - 1, rowEdge);
  const left = best(1, Math.floor(width / 4), columnEdge);
  const right = best(Math.floor((width * 3) / 4), width - 1, columnEdge);
  return Math.min(top, bottom, left, right);
}

function captureQuality(gray: Float32Array, high: Float32Array) {
  let sum = 0;
  for (const v of gray) sum += v;
  const mean = sum / gray.length;
  let variance = 0;
  for (const v of gray) variance += (v - mean) ** 2;
  let detail = 0;
  for (const v of high) detail += Math.abs(v);
  return {
    sharpness: detail / high.length,
    exposure: 1 - Math.abs(mean - 128) / 128,
    contrast: Math.sqrt(variance / gray.length),
  };
}
