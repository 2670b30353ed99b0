import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { DeadLetter } from './deadLetterTypes';
import { DeadLettersView } from './DeadLettersView';

const letter = (id: string, over: Partial<DeadLetter> = {}): DeadLetter => ({
  id,
  recordId: `019a0000-0000-7000-8000-00000000000${id}`,
  source: 'registry',
  externalId: `ext-${id}`,
  batchId: '0e0b4d1c-6b7e-4a55-9d0f-3b7e9a1f2c11',
  partition: 3,
  offset: '41',
  error: 'poison record refused by the database',
  attempts: 5,
  status: 'open',
  createdAt: '2026-11-20T10:00:00.000Z',
  resolvedBy: null,
  resolvedAt: null,
  ...over,
});

function renderView(props: Partial<Parameters<typeof DeadLettersView>[0]> = {}) {
  const handlers = {
    onSelect: vi.fn(),
    onReplay: vi.fn(),
    onDiscard: vi.fn(),
    onExpand: vi.fn(),
    onStatus: vi.fn(),
  };
  render(
    <MemoryRouter>
      <DeadLettersView
        status="open"
        letters={[
          letter('1'),
          letter('2', { error: 'worker failed: boom\n    at decide (worker.ts:10)\n    at run' }),
        ]}
        loading={false}
        error={null}
        onRetry={() => undefined}
        selected={new Set()}
        expanded={null}
        renderRecord={(l) => <p>fields of {l.externalId}</p>}
        busy={false}
        hasMore={false}
        loadingMore={false}
        onLoadMore={() => undefined}
        now={Date.parse('2026-11-20T12:00:00.000Z')}
        {...handlers}
        {...props}
      />
    </MemoryRouter>,
  );
  return handlers;
}

describe('dead letters', () => {
  it('lists the record, its error, attempts and when it failed; a long error opens on demand', () => {
    renderView();
    const rows = within(screen.getByRole('table', { name: 'Dead letters' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows[0]!.textContent).toContain('ext-1');
    expect(rows[0]!.textContent).toContain('registry');
    expect(rows[0]!.textContent).toContain('poison record refused by the database');
    expect(rows[0]!.textContent).toContain('5');
    expect(rows[0]!.textContent).toContain('2 hours ago');
    expect(within(rows[0]!).getByRole('link', { name: 'batch' }).getAttribute('href')).toBe(
      '/batches/0e0b4d1c-6b7e-4a55-9d0f-3b7e9a1f2c11',
    );
    const details = rows[1]!.querySelector('details')!;
    expect(details.querySelector('summary')!.textContent).toBe('worker failed: boom…');
    expect(details.querySelector('pre')!.textContent).toContain('at decide (worker.ts:10)');
  });

  it('selects all, replays and discards the selection, one row or many', () => {
    const h = renderView();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(h.onSelect).toHaveBeenCalledWith(['1', '2'], true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Replay selected' }).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Replay ext-2' }));
    expect(h.onReplay).toHaveBeenCalledWith(['2']);
    fireEvent.click(screen.getByRole('button', { name: 'Discard ext-1' }));
    expect(h.onDiscard).toHaveBeenCalledWith(['1']);
  });

  it('acts on the selected rows', () => {
    const h = renderView({ selected: new Set(['2']) });
    expect(screen.getByText('1 selected')).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select all' }).indeterminate).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Replay selected' }));
    expect(h.onReplay).toHaveBeenCalledWith(['2']);
    fireEvent.click(screen.getByRole('button', { name: 'Discard selected…' }));
    expect(h.onDiscard).toHaveBeenCalledWith(['2']);
  });

  it("shows a record's content when asked", () => {
    const h = renderView({ expanded: '1' });
    expect(screen.getByText('fields of ext-1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Hide record' }));
    expect(h.onExpand).toHaveBeenCalledWith(null);
  });

  it('says so when there are none', () => {
    renderView({ letters: [] });
    expect(screen.getByText('No dead letters: every record was decided')).toBeTruthy();
  });

  it('shows who resolved a replayed one, without checkboxes or actions', () => {
    renderView({
      status: 'replayed',
      letters: [
        letter('1', {
          status: 'replayed',
          resolvedBy: 'operator-user',
          resolvedAt: '2026-11-20T11:00:00.000Z',
        }),
      ],
    });
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: /^Replay (selected|ext)/ })).toBeNull();
    expect(screen.getByRole('table', { name: 'Dead letters' }).textContent).toContain('by operator-user');
  });
});
