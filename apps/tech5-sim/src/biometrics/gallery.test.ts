import { describe, expect, it } from 'vitest';
import { TemplateGallery } from './gallery';
import { subjectTemplate } from './templates';

const t = (family: number) => subjectTemplate({ family, member: 0 });

describe('TemplateGallery', () => {
  it('finds a template at distance 0, best first, within maxResults and maxDistance', () => {
    const g = new TemplateGallery();
    for (let i = 0; i < 500; i++) expect(g.insert(`r${i}`, t(i))).toBe(true);
    const hits = g.search(t(123), { maxResults: 3, maxDistance: 512 });
    expect(hits).toHaveLength(3);
    expect(hits[0]).toEqual({ referenceId: 'r123', distance: 0 });
    expect(hits[1]!.distance).toBeLessThanOrEqual(hits[2]!.distance);
    expect(g.search(t(123), { maxResults: 10, maxDistance: 100 })).toEqual([
      { referenceId: 'r123', distance: 0 },
    ]);
  });

  it('refuses a taken reference id, deletes by moving the last reference in, and searches a gallery', () => {
    const g = new TemplateGallery();
    for (let i = 0; i < 10; i++) g.insert(`r${i}`, t(i));
    expect(g.insert('r3', t(99))).toBe(false);
    expect(g.delete('r3')).toBe(true);
    expect(g.delete('r3')).toBe(false);
    expect(g.size).toBe(9);
    expect(g.template('r9')).toEqual(t(9)); // moved into r3's slot, intact
    expect(g.search(t(9), { maxResults: 1, maxDistance: 0 })).toEqual([{ referenceId: 'r9', distance: 0 }]);
    expect(
      g
        .search(t(9), { maxResults: 5, maxDistance: 512, gallery: ['r1', 'r2', 'nope'] })
        .map((h) => h.referenceId)
        .sort(),
    ).toEqual(['r1', 'r2']);
    expect(g.search(t(9), { maxResults: 5, maxDistance: 0, exclude: 'r9' })).toEqual([]);
  });
});
