/** Deterministic randomness: every face, capture and template follows from 32-bit seeds. */

import { seededRandom as prng } from '@nexus/schema';
import { numberAt } from './numberAt';

export { prng };

/** Mixes numbers into one well-spread 32-bit seed (murmur3's finaliser over each part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A 32-bit seed from a string (FNV-1a, then mixed). */
export function seedFromString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mixSeed(h);
}

/** Standard normal deviate (Box-Muller). */
export function gaussian(rnd: () => number): number {
  const u = Math.max(rnd(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

export function between(rnd: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rnd();
}

export function pick<T>(rnd: () => number, list: readonly T[]): T {
  const picked = list[Math.floor(rnd() * list.length)];
  if (picked === undefined) throw new Error(`pick: nothing to pick from a list of ${list.length}`);
  return picked;
}

const NORMAL_TABLE_SIZE = 4096;
let normalTable: Float32Array | undefined;

/**
 * A fast stream of standard normal deviates for pixel noise: draws from a fixed table of 4,096
 * Box-Muller values. Good enough for sensor noise, ten times cheaper than gaussian() per pixel.
 */
export function pixelNoise(seed: number): () => number {
  if (!normalTable) {
    const rnd = prng(0x5eed);
    normalTable = new Float32Array(NORMAL_TABLE_SIZE);
    for (let i = 0; i < NORMAL_TABLE_SIZE; i++) normalTable[i] = gaussian(rnd);
  }
  const table = normalTable;
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return numberAt(table, (state >>> 0) & (NORMAL_TABLE_SIZE - 1), 'normal table');
  };
}
