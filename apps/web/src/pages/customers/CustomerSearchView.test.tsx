import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { CustomerSearchView, type CustomerHit } from './CustomerSearchView';

const hit = (id: string, given: string, members: number): CustomerHit => ({
  id,
  best: { given_name: given, family_name: 'Byron', date_of_birth: '1815-12-10', national_id: `N-${id}` },
  memberCount: members,
  version: 1,
  updatedAt: '2026-11-20T10:00:00.000Z',
  matchedBy: [],
});

function renderView(props: Partial<Parameters<typeof CustomerSearchView>[0]> = {}) {
  const onOpen = vi.fn();
  const onText = vi.fn();
  render(
    <MemoryRouter>
      <CustomerSearchView
        text="byron"
        onText={onText}
        readings={['name']}
        hits={[hit('a', 'Ada', 1234), hit('b', 'George', 2)]}
        searching={false}
        error={null}
        onRetry={() => undefined}
        onOpen={onOpen}
        now={Date.parse('2026-11-20T10:05:00.000Z')}
        {...props}
      />
    </MemoryRouter>,
  );
  return { onOpen, onText };
}

describe('customer search', () => {
  it('lists best name, date of birth, identifiers, member count (formatted) and when it changed', () => {
    renderView();
    const rows = within(screen.getByRole('table', { name: 'Customers found' })).getAllByRole('row');
    expect(rows[1]).toHaveProperty('textContent', expect.stringContaining('Ada Byron'));
    expect(rows[1]!.textContent).toContain('1815-12-10');
    expect(rows[1]!.textContent).toContain('N-a');
    expect(rows[1]!.textContent).toContain((1234).toLocaleString());
    expect(rows[1]!.textContent).toContain('5 minutes ago');
    expect(screen.getByRole('link', { name: 'George Byron' }).getAttribute('href')).toBe('/customers/b');
  });

  it('moves with the arrows from the search box and opens the highlighted customer with Enter', () => {
    const { onOpen } = renderView();
    const box = screen.getByRole('searchbox', { name: 'Search customers' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(screen.getByRole('link', { name: 'George Byron' }).closest('tr')?.className).toBe('selected');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith('b');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onOpen).toHaveBeenLastCalledWith('a');
  });

  it('says what to type before there is anything to search', () => {
    const { onText } = renderView({ text: '', readings: [], hits: undefined });
    expect(screen.getByText('Find a customer')).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'ada' } });
    expect(onText).toHaveBeenCalledWith('ada');
  });

  it('shows a skeleton before the first answer and an empty state when nothing matches', () => {
    const { unmount } = render(
      <MemoryRouter>
        <CustomerSearchView
          text="zzz"
          onText={() => undefined}
          readings={['name']}
          hits={undefined}
          searching
          error={null}
          onRetry={() => undefined}
          onOpen={() => undefined}
        />
      </MemoryRouter>,
    );
    expect(screen.getByLabelText('Loading')).toBeTruthy();
    unmount();
    renderView({ text: 'zzz', hits: [] });
    expect(screen.getByText('No customer matches “zzz”')).toBeTruthy();
  });
});
