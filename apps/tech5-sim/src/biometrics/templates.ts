/**
 * Face templates: 512-bit binary codes, as iris codes and binarised face embeddings are. Two
 * captures of one person differ in a few bits (capture noise), two people in about half of them.
 *
 * A synthetic capture's template is its subject's own code with the capture's noise flipped in
 * (both read from the capture's mark); relatives start from their family's code with 30% of it
 * changed, so they are the look-alikes. Any other image gets a code from its pixels (a random
 * projection of the normalised, downsampled face), so that the same image matches itself and
 * different photos do not.
 */
import { grayscale, type RgbaImage } from '../faces/image';
import type { FaceSubject } from '../faces/faceModel';
import type { CaptureMark } from '../faces/watermark';
import { numberAt } from '../numberAt';
import { gaussian, mixSeed, prng } from '../random';

export const TEMPLATE_BITS = 512;
export const TEMPLATE_WORDS = TEMPLATE_BITS / 32;
/** Share of bits in which two relatives' own codes differ. */
export const RELATIVE_DIFFERENCE = 0.3;

function randomWords(rnd: () => number, out = new Uint32Array(TEMPLATE_WORDS)): Uint32Array {
  for (let w = 0; w < TEMPLATE_WORDS; w++) out[w] = Math.floor(rnd() * 0x100000000) >>> 0;
  return out;
}

function flipBits(code: Uint32Array, probability: number, rnd: () => number): void {
  if (probability <= 0) return;
  for (let bit = 0; bit < TEMPLATE_BITS; bit++) {
    if (rnd() < probability)
      code[bit >>> 5] = (numberAt(code, bit >>> 5, 'template') ^ (1 << (bit & 31))) >>> 0;
  }
}

/** A subject's own code: the family's code, changed in 30% of its bits for a relative. */
export function subjectTemplate(subject: FaceSubject): Uint32Array {
  const code = randomWords(prng(mixSeed(subject.family, 0xb10)));
  if (subject.member > 0)
    flipBits(code, RELATIVE_DIFFERENCE, prng(mixSeed(subject.family, subject.member, 0x7a1)));
  return code;
}

export function captureTemplate(mark: CaptureMark): Uint32Array {
  const code = subjectTemplate(mark.subject);
  flipBits(code, mark.templateNoise, prng(mixSeed(mark.captureSeed, 0xf11)));
  return code;
}

const GRID_W = 16;
const GRID_H = 20;
let projections: Float32Array | undefined;

/** Code of an unmarked image: sign of 512 fixed random projections of its 16x20 normalised luma. */
export function pixelTemplate(image: RgbaImage): Uint32Array {
  const gray = grayscale(image);
  const cells = new Float64Array(GRID_W * GRID_H);
  const counts = new Float64Array(GRID_W * GRID_H);
  for (let y = 0; y < image.height; y++) {
    const gy = Math.min(GRID_H - 1, Math.floor((y * GRID_H) / image.height));
    for (let x = 0; x < image.width; x++) {
      const cell = gy * GRID_W + Math.min(GRID_W - 1, Math.floor((x * GRID_W) / image.width));
      cells[cell] = numberAt(cells, cell, 'grid') + numberAt(gray, y * image.width + x, 'grayscale image');
      counts[cell] = numberAt(counts, cell, 'grid counts') + 1;
    }
  }
  let mean = 0;
  for (let i = 0; i < cells.length; i++) {
    const average = numberAt(cells, i, 'grid') / Math.max(1, numberAt(counts, i, 'grid counts'));
    cells[i] = average;
    mean += average;
  }
  mean /= cells.length;
  let variance = 0;
  for (const c of cells) variance += (c - mean) ** 2;
  const sd = Math.sqrt(variance / cells.length) || 1;
  if (!projections) {
    const rnd = prng(0x9a7);
    projections = new Float32Array(TEMPLATE_BITS * cells.length);
    for (let i = 0; i < projections.length; i++) projections[i] = gaussian(rnd);
  }
  const code = new Uint32Array(TEMPLATE_WORDS);
  for (let bit = 0; bit < TEMPLATE_BITS; bit++) {
    let dot = 0;
    const row = bit * cells.length;
    for (let i = 0; i < cells.length; i++)
      dot += numberAt(projections, row + i, 'projections') * ((numberAt(cells, i, 'grid') - mean) / sd);
    if (dot > 0) code[bit >>> 5] = (numberAt(code, bit >>> 5, 'template') | (1 << (bit & 31))) >>> 0;
  }
  return code;
}

/** Population count of a 32-bit word (SWAR). */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export function hammingDistance(a: Uint32Array, b: Uint32Array, bOffset = 0): number {
  let d = 0;
  for (let w = 0; w < TEMPLATE_WORDS; w++)
    d += popcount32((numberAt(a, w, 'template') ^ numberAt(b, bOffset + w, 'templates')) >>> 0);
  return d;
}
