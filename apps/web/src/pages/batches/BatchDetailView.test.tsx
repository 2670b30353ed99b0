import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { BatchDetailView } from './BatchDetailView';
import { BatchRecordsTable } from './BatchRecordsTable';
import { batch, counts, record } from './testData';

function renderDetail(props: Partial<Parameters<typeof BatchDetailView>[0]> = {}) {
  const handlers = {
    onCancel: vi.fn(() => Promise.resolve()),
    onRetryFailed: vi.fn(),
    onDownload: vi.fn(),
    onFilter: vi.fn(),
  };
  render(
    <MemoryRouter>
      <BatchDetailView
        batch={batch()}
        error={null}
        onRetry={() => undefined}
        liveStatus="live"
        receipt={null}
        canRetryFailed
        busy={null}
        notice={null}
        onCancel={handlers.onCancel}
        onRetryFailed={handlers.onRetryFailed}
        onDownload={handlers.onDownload}
        {...props}
      >
        <BatchRecordsTable
          counts={counts()}
          records={[
            record(),
            record({
              id: 'r2',
              externalId: 'rn-2',
              status: 'review',
              goldenId: null,
              reviewCaseId: 'c0ffee00-0000-4000-8000-000000000000',
            }),
            record({
              id: 'r3',
              externalId: 'rn-3',
              status: 'dead_lettered',
              goldenId: null,
              problem: '(engine): database refused',
            }),
            record({
              id: 'r4',
              externalId: 'rn-4',
              status: 'relayed',
              goldenId: null,
              rule: null,
              decidedAt: null,
            }),
          ]}
          filter={null}
          onFilter={handlers.onFilter}
          loading={false}
          error={null}
          onRetry={() => undefined}
          hasMore={false}
          loadingMore={false}
          onLoadMore={() => undefined}
        />
      </BatchDetailView>
    </MemoryRouter>,
  );
  return handlers;
}

describe('a batch in detail', () => {
  it('shows its counts by decision and its progress', () => {
    renderDetail();
    expect(screen.getByRole('heading', { name: 'registry-north' })).toBeTruthy();
    const strip = within(screen.getByRole('list', { name: 'Records by decision' }));
    expect(strip.getByText('1,200')).toBeTruthy();
    expect(strip.getByText('700')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Batch progress' }).getAttribute('aria-valuenow')).toBe(
      '1000',
    );
    expect(screen.getByRole('status', { name: '' }).textContent).toContain('Live');
  });

  it('cancels only after confirming', () => {
    const { onCancel } = renderDetail();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel batch' }));
    expect(onCancel).not.toHaveBeenCalled();
    const dialog = screen.getByRole('dialog', { name: 'Cancel this batch?' });
    expect(dialog.textContent).toContain('The 200 records not yet decided will not be decided');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel batch' }));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('retries failed records and downloads the results', () => {
    const { onRetryFailed, onDownload } = renderDetail();
    fireEvent.click(screen.getByRole('button', { name: 'Retry failed (4)' }));
    expect(onRetryFailed).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Download results (CSV)' }));
    expect(onDownload).toHaveBeenCalledOnce();
  });

  it('hides retry from the ingest role and cancel from a finished batch', () => {
    renderDetail({
      canRetryFailed: false,
      batch: batch({
        status: 'completed',
        completedAt: '2026-11-20T10:02:00.000Z',
        counts: counts({ pending: 0 }),
      }),
    });
    expect(screen.queryByRole('button', { name: /Retry failed/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel batch' })).toBeNull();
    expect(screen.getByText('Finished', { selector: '.live-badge' })).toBeTruthy();
  });

  it('lists the records with their decisions, each leading to its golden record or review case', () => {
    const { onFilter } = renderDetail();
    const rows = within(screen.getByRole('table', { name: 'Records of the batch' }))
      .getAllByRole('row')
      .slice(1);
    expect(within(rows[0]!).getByRole('link', { name: 'Golden record' }).getAttribute('href')).toBe(
      '/customers/7d3c3b1e-0000-4000-8000-00000000000a',
    );
    expect(within(rows[1]!).getByRole('link', { name: 'Review case' }).getAttribute('href')).toBe(
      '/review/c0ffee00-0000-4000-8000-000000000000',
    );
    expect(rows[2]!.textContent).toContain('database refused');
    expect(within(rows[3]!).getByText('Pending')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^Review 40/ }));
    expect(onFilter).toHaveBeenCalledWith('review');
  });
});
