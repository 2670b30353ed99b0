import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { matches, NO_FILTERS, listInput, type AuditEntry } from './auditFilters';
import { AuditView } from './AuditView';

const entry = (id: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-11-20T10:00:00.000Z',
  actor: 'admin',
  action: 'user.created',
  entityType: 'user',
  entityId: '11111111-1111-4111-8111-111111111111',
  recordId: null,
  before: null,
  after: { username: 'olga', role: 'operator' },
  ...over,
});

function renderView(over: Partial<Parameters<typeof AuditView>[0]> = {}) {
  const props = {
    filters: NO_FILTERS,
    onFilters: vi.fn(),
    entries: [
      entry('9'),
      entry('8', { action: 'golden_record.split', entityType: 'golden_record', actor: 'rita' }),
    ],
    fresh: new Set<string>(),
    waiting: 0,
    onShowWaiting: vi.fn(),
    liveStatus: 'live' as const,
    loading: false,
    error: null,
    onRetry: vi.fn(),
    hasMore: true,
    loadingMore: false,
    onLoadMore: vi.fn(),
    ...over,
  };
  render(
    <MemoryRouter>
      <AuditView {...props} />
    </MemoryRouter>,
  );
  return props;
}

describe('audit log', () => {
  it('lists entries newest first and opens one to its before and after', () => {
    renderView();
    const rows = within(screen.getByRole('table', { name: 'Audit entries' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => r.querySelector('code')?.textContent)).toEqual([
      'user.created',
      'golden_record.split',
    ]);
    expect(within(rows[1]!).getByRole('link').getAttribute('href')).toMatch(/^\/customers\//);
    const toggle = screen.getByRole('button', { name: 'Show changes of entry 9' });
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const username = screen.getByText('username');
    expect(username.closest('tr')?.textContent).toContain('olga');
    expect(username.closest('tr')?.className).toBe('change-added');
  });

  it('keeps new live entries behind a bar until asked, and loads older pages', () => {
    const props = renderView({ waiting: 3 });
    fireEvent.click(screen.getByRole('button', { name: '3 new entries: show' }));
    expect(props.onShowWaiting).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Load older entries' }));
    expect(props.onLoadMore).toHaveBeenCalled();
  });

  it('applies the filters on submit and a chosen entity type at once', () => {
    const props = renderView();
    fireEvent.change(screen.getByLabelText('Actor'), { target: { value: 'rita' } });
    expect(props.onFilters).not.toHaveBeenCalled();
    fireEvent.submit(screen.getByRole('form', { name: 'Filter the audit log' }));
    expect(props.onFilters).toHaveBeenLastCalledWith({ ...NO_FILTERS, actor: 'rita' });
    fireEvent.change(screen.getByLabelText('Entity'), { target: { value: 'user' } });
    expect(props.onFilters).toHaveBeenLastCalledWith({ ...NO_FILTERS, actor: 'rita', entityType: 'user' });
  });

  it('says why the list is empty, differently with filters', () => {
    renderView({ entries: [], filters: { ...NO_FILTERS, actor: 'nobody' } });
    expect(screen.getByText('No entry matches these filters')).toBeTruthy();
  });
});

describe('audit filters', () => {
  it('sends local times as instants and matches live entries as the server would', () => {
    const f = { ...NO_FILTERS, action: 'golden_record.', since: '2026-11-20T09:00' };
    expect(listInput(f).since).toBe(new Date('2026-11-20T09:00').toISOString());
    expect(matches(entry('1', { action: 'golden_record.linked', at: '2030-01-01T00:00:00.000Z' }), f)).toBe(
      true,
    );
    expect(matches(entry('2', { action: 'user.created', at: '2030-01-01T00:00:00.000Z' }), f)).toBe(false);
    expect(matches(entry('3', { action: 'golden_record.linked', at: '2000-01-01T00:00:00.000Z' }), f)).toBe(
      false,
    );
  });
});
