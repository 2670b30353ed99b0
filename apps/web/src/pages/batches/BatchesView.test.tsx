import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { mergeLive } from './batchesCache';
import { BatchesView } from './BatchesView';
import { batch, counts } from './testData';

function renderView(props: Partial<Parameters<typeof BatchesView>[0]> = {}) {
  const onLoadMore = vi.fn();
  render(
    <MemoryRouter>
      <BatchesView
        batches={[
          batch(),
          batch({
            id: 'b2b2b2b2-0000-4000-8000-000000000000',
            source: 'bank',
            status: 'completed',
            counts: counts({
              pending: 0,
              records: 10,
              new: 10,
              linked: 0,
              review: 0,
              rejected: 0,
              dead_lettered: 0,
            }),
          }),
        ]}
        loading={false}
        error={null}
        onRetry={() => undefined}
        hasMore
        loadingMore={false}
        onLoadMore={onLoadMore}
        now={Date.parse('2026-11-20T10:05:00.000Z')}
        {...props}
      />
    </MemoryRouter>,
  );
  return { onLoadMore };
}

describe('the batches list', () => {
  it('shows each batch with its source, who sent it, status, progress and counts by decision, formatted', () => {
    renderView();
    const rows = within(screen.getByRole('table', { name: 'Batches' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]!);
    expect(first.getByRole('link', { name: 'registry-north' }).getAttribute('href')).toBe(
      '/batches/0e0b4d1c-6b7e-4a55-9d0f-3b7e9a1f2c11',
    );
    expect(rows[0]!.textContent).toContain('by ingest-user');
    expect(first.getByTitle('5 minutes ago')).toBeTruthy();
    expect(first.getByText('Running')).toBeTruthy();
    const bar = first.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('1000');
    expect(bar.getAttribute('aria-valuemax')).toBe('1200');
    expect(rows[0]!.textContent).toContain('1,000 / 1,200');
    const decisions = within(first.getByRole('list', { name: 'Counts by decision' }));
    expect(decisions.getByTitle('New').textContent).toContain('700');
    expect(decisions.getByTitle('Dead-lettered').textContent).toContain('4');
    expect(decisions.getByTitle('Pending').textContent).toContain('200');
    expect(within(rows[1]!).getByText('Completed')).toBeTruthy();
  });

  it('loads older batches on request', () => {
    const { onLoadMore } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Show older batches' }));
    expect(onLoadMore).toHaveBeenCalledOnce();
  });

  it('says what to do when there are none, and shows a skeleton while loading', () => {
    renderView({ batches: [], hasMore: false });
    expect(screen.getByText('No batches yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Show older batches' })).toBeNull();
  });

  it('shows an error with a retry when nothing could be loaded', () => {
    const onRetry = vi.fn();
    renderView({ batches: [], error: new Error('network down'), onRetry });
    expect(screen.getByRole('alert').textContent).toContain('network down');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});

describe('live batch states into the cached list', () => {
  const data = { pages: [{ items: [batch()], nextCursor: null }], pageParams: [null] };

  it('replaces a batch in place and says when one is not on any page yet', () => {
    const done = batch({ status: 'completed', counts: counts({ pending: 0, new: 900 }) });
    const merged = mergeLive(data, [done]);
    expect(merged.data!.pages[0]!.items[0]).toBe(done);
    expect(merged.unknown).toBe(false);
    expect(mergeLive(data, [batch({ id: 'ffffffff-0000-4000-8000-000000000000' })]).unknown).toBe(true);
    expect(mergeLive(data, []).unknown).toBe(false);
  });
});
