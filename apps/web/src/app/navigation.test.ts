import { describe, expect, it } from 'vitest';
import { homeFor, navFor } from './navigation';

describe('role-aware navigation', () => {
  it('shows a reviewer the review pages and nothing of operations or administration', () => {
    const pages = navFor('reviewer').map((i) => i.to);
    expect(pages).toEqual(['/review', '/customers', '/contacts', '/audit', '/reports']);
    expect(homeFor('reviewer')).toBe('/review');
  });

  it('shows an ingest client its batches only', () => {
    expect(navFor('ingest').map((i) => i.to)).toEqual(['/batches']);
  });

  it('shows an admin every page, users included', () => {
    expect(navFor('admin').map((i) => i.to)).toContain('/users');
    expect(navFor('admin').map((i) => i.to)).toContain('/access');
    expect(navFor('operator').map((i) => i.to)).not.toContain('/users');
    expect(navFor('operator').map((i) => i.to)).not.toContain('/access');
    expect(homeFor('operator')).toBe('/overview');
  });
});
