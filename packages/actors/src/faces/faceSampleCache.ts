import type { FaceSample } from '../tech5/faceImage';

/**
 * Face images read for a record, kept between its liveness check, 1:N search and enrolment so
 * the image is read once. Records that never reach enrolment (a review, a spoof) leave theirs
 * behind, so the cache is bounded twice: at most `maxEntries` images and at most `maxBytes` held
 * (image and data: URL together); the oldest go first. A failed read is not kept.
 */
export class FaceSampleCache {
  private readonly entries = new Map<string, { sample: Promise<FaceSample>; bytes: number }>();
  private held = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** The cached read of this reference, or a new one started by `read`. */
  get(reference: string, read: () => Promise<FaceSample>): Promise<FaceSample> {
    const cached = this.entries.get(reference);
    if (cached) return cached.sample;
    const entry = { sample: read(), bytes: 0 };
    this.entries.set(reference, entry);
    entry.sample.then(
      (sample) => {
        if (this.entries.get(reference) !== entry) return;
        entry.bytes = sample.bytes.length + sample.dataUrl.length;
        this.held += entry.bytes;
        this.evict(reference);
      },
      () => this.delete(reference, entry),
    );
    this.evict(reference);
    return entry.sample;
  }

  /** Forgets a reference (its record is done with it). */
  forget(reference: string): void {
    const entry = this.entries.get(reference);
    if (entry) this.delete(reference, entry);
  }

  /** Bytes held now: for tests and metrics. */
  get heldBytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(keep: string): void {
    for (const [reference, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.held <= this.maxBytes) return;
      if (reference !== keep) this.delete(reference, entry);
    }
  }

  private delete(reference: string, entry: { bytes: number }): void {
    if (this.entries.get(reference) !== entry) return;
    this.entries.delete(reference);
    this.held -= entry.bytes;
  }
}
