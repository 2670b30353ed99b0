/**
 * The ABIS reference database: every enrolled template packed into one Uint32Array (16 words a
 * template, 64 bytes), searched 1:N by XOR + popcount in one tight loop. A million references are
 * 64 MB and one search of them takes tens of milliseconds (bench/biometrics.ts measures it).
 */
import { hammingDistance, TEMPLATE_WORDS } from './templates';

if (TEMPLATE_WORDS !== 16) throw new Error('the gallery scan is written for 16-word templates');

export interface GalleryHit {
  referenceId: string;
  distance: number;
}

export class TemplateGallery {
  private words = new Uint32Array(1024 * TEMPLATE_WORDS);
  private ids: string[] = [];
  /** Whether each reference was a presentation attack (for the simulator's own counters). */
  private spoofs: boolean[] = [];
  private readonly slots = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  has(referenceId: string): boolean {
    return this.slots.has(referenceId);
  }

  /** False when the reference id is taken. */
  insert(referenceId: string, template: Uint32Array, spoof = false): boolean {
    if (this.slots.has(referenceId)) return false;
    const slot = this.ids.length;
    if ((slot + 1) * TEMPLATE_WORDS > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words.set(template.subarray(0, TEMPLATE_WORDS), slot * TEMPLATE_WORDS);
    this.ids.push(referenceId);
    this.spoofs.push(spoof);
    this.slots.set(referenceId, slot);
    return true;
  }

  /** Removes a reference; the last one moves into its slot. False when it was not there. */
  delete(referenceId: string): boolean {
    const slot = this.slots.get(referenceId);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    const moved = this.ids.pop();
    const movedSpoof = this.spoofs.pop();
    if (moved === undefined || movedSpoof === undefined)
      throw new Error(`gallery: ${referenceId} has slot ${slot} but the gallery is empty`);
    if (slot !== last) {
      this.words.copyWithin(slot * TEMPLATE_WORDS, last * TEMPLATE_WORDS, (last + 1) * TEMPLATE_WORDS);
      this.ids[slot] = moved;
      this.spoofs[slot] = movedSpoof;
      this.slots.set(moved, slot);
    }
    this.slots.delete(referenceId);
    return true;
  }

  template(referenceId: string): Uint32Array | undefined {
    const slot = this.slots.get(referenceId);
    return slot === undefined
      ? undefined
      : this.words.slice(slot * TEMPLATE_WORDS, (slot + 1) * TEMPLATE_WORDS);
  }

  isSpoof(referenceId: string): boolean {
    const slot = this.slots.get(referenceId);
    return slot !== undefined && this.spoofs[slot] === true;
  }

  /**
   * The closest references within maxDistance, best first, at most maxResults of them; over the
   * whole database, or over the given gallery of reference ids (unknown ids are skipped).
   */
  search(
    query: Uint32Array,
    options: { maxResults: number; maxDistance: number; gallery?: readonly string[]; exclude?: string },
  ): GalleryHit[] {
    const best: Array<{ slot: number; distance: number }> = [];
    const limit = options.maxResults;
    let worst = options.maxDistance;
    const consider = (slot: number, distance: number) => {
      if (distance > worst) return;
      // After every hit at this distance or closer (best is sorted, and stays so).
      let i = 0;
      for (const b of best) {
        if (b.distance > distance) break;
        i++;
      }
      best.splice(i, 0, { slot, distance });
      if (best.length > limit) best.pop();
      if (best.length === limit) {
        const furthest = best.at(-1);
        if (furthest === undefined) throw new Error('gallery search: maxResults must be at least 1');
        worst = Math.min(worst, furthest.distance);
      }
    };
    const excluded = options.exclude === undefined ? -1 : (this.slots.get(options.exclude) ?? -1);
    if (options.gallery) {
      for (const id of options.gallery) {
        const slot = this.slots.get(id);
        if (slot === undefined || slot === excluded) continue;
        consider(slot, hammingDistance(query, this.words, slot * TEMPLATE_WORDS));
      }
    } else {
      this.scanAll(query, excluded, consider);
    }
    return best.map((b) => {
      const referenceId = this.ids[b.slot];
      if (referenceId === undefined) throw new Error(`gallery search: no reference in slot ${b.slot}`);
      return { referenceId, distance: b.distance };
    });
  }

  /**
   * The hot loop: every reference XOR-ed with the query and its bits counted. The popcount is a
   * local function and the word count a literal: measured 2-3x faster than the imported ones.
   */
  private scanAll(
    query: Uint32Array,
    excluded: number,
    consider: (slot: number, distance: number) => void,
  ): void {
    const words = this.words;
    const n = this.ids.length;
    for (let slot = 0, o = 0; slot < n; slot++, o += 16) {
      let d = 0;
      for (let w = 0; w < 16; w++) {
        const q = query[w];
        const r = words[o + w];
        if (q === undefined || r === undefined)
          throw new RangeError(`gallery scan: no word ${w} in slot ${slot}`);
        d += popcount(q ^ r);
      }
      if (slot !== excluded) consider(slot, d);
    }
  }
}

/** Population count of a 32-bit word (SWAR), kept beside the loop that calls it. */
function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
