import { describe, expect, it } from 'vitest';
import type { FaceSample } from '../tech5/faceImage';
import { FaceSampleCache } from './faceSampleCache';

const sample = (size: number): FaceSample => ({ bytes: Buffer.alloc(size), dataUrl: 'x'.repeat(size) });

describe('the face sample cache', () => {
  it('reads a reference once while it is kept', async () => {
    const cache = new FaceSampleCache(4, 1_000);
    let reads = 0;
    const read = () => (reads++, Promise.resolve(sample(10)));
    await cache.get('a', read);
    await cache.get('a', read);
    expect(reads).toBe(1);
    cache.forget('a');
    expect(cache.heldBytes).toBe(0);
  });

  it('holds at most its byte budget, oldest images going first, however many records leave theirs behind', async () => {
    const cache = new FaceSampleCache(32, 1_000);
    for (let i = 0; i < 50; i++) await cache.get(`face-${i}`, () => Promise.resolve(sample(150)));
    expect(cache.heldBytes).toBeLessThanOrEqual(1_000);
    expect(cache.size).toBe(3);
    let reads = 0;
    await cache.get('face-49', () => (reads++, Promise.resolve(sample(150))));
    expect(reads).toBe(0);
  });

  it('holds at most its number of images, and keeps no failed read', async () => {
    const cache = new FaceSampleCache(2, 1_000_000);
    for (const r of ['a', 'b', 'c']) await cache.get(r, () => Promise.resolve(sample(1)));
    expect(cache.size).toBe(2);
    await expect(cache.get('bad', () => Promise.reject(new Error('unreadable')))).rejects.toThrow(
      'unreadable',
    );
    let reads = 0;
    await cache.get('bad', () => (reads++, Promise.resolve(sample(1))));
    expect(reads).toBe(1);
    expect(cache.size).toBe(2);
  });
});
