import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { customerFixture, NEW_GOLDEN, SECOND } from './fixtures.test-data';
import { GoldenRecordView } from './GoldenRecordView';

function renderView(over: Partial<Parameters<typeof GoldenRecordView>[0]> = {}) {
  const onSplit = vi.fn<(recordId: string, reason: string) => Promise<void>>().mockResolvedValue();
  const onMerge = vi.fn();
  render(
    <MemoryRouter>
      <GoldenRecordView
        customer={customerFixture()}
        lastSplit={null}
        liveStatus="live"
        onSplit={onSplit}
        onMerge={onMerge}
        now={Date.parse('2026-11-20T10:05:00.000Z')}
        {...over}
      />
    </MemoryRouter>,
  );
  return { onSplit, onMerge };
}

describe('golden record page', () => {
  it('shows the best values and the members with the primary first', () => {
    renderView();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Ada Lovelace');
    const best = screen.getByRole('region', { name: 'Best values' });
    expect(within(best).getByText('National id').nextSibling?.textContent).toBe('AL1815');
    const rows = within(screen.getByRole('table', { name: 'Members' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]!.textContent)).toEqual(['registry', 'bank']);
    expect(rows[0]!.textContent).toContain('primary');
    expect(rows[1]!.textContent).toContain((12.3).toLocaleString());
  });

  it('splits a member out only with a reason, and calls back with the record and the reason', async () => {
    const { onSplit } = renderView();
    fireEvent.click(screen.getByRole('button', { name: 'Split out bank b-2' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    const confirm = within(dialog).getByRole('button', { name: 'Split out', hidden: true });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox', { hidden: true }), {
      target: { value: ' twin sister ' },
    });
    fireEvent.click(confirm);
    await waitFor(() => expect(onSplit).toHaveBeenCalledWith(SECOND, 'twin sister'));
  });

  it('keeps the dialog open with the message when the split fails', async () => {
    const onSplit = vi.fn().mockRejectedValue(new Error('a customer with one member cannot be split'));
    renderView({ onSplit });
    fireEvent.click(screen.getByRole('button', { name: 'Split out bank b-2' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    fireEvent.change(within(dialog).getByRole('textbox', { hidden: true }), { target: { value: 'twins' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Split out', hidden: true }));
    await within(dialog).findByText('a customer with one member cannot be split');
  });

  it('tells the story newest first: who split what and why, with a link to the new customer', () => {
    const gone = { recordId: '55555555-5555-4555-8555-555555555555', source: 'bank', externalId: 'b-9' };
    renderView({ customer: customerFixture({ historyRecords: [gone] }) });
    const items = [...screen.getByRole('list', { name: 'History' }).children] as HTMLElement[];
    const titles = items.map((li) => li.querySelector('strong')?.textContent);
    expect(titles).toEqual([
      'Split bank b-9 out into its own customer',
      `Linked bank b-2 (score ${(12.3).toLocaleString()})`,
      'Created from registry r-1',
    ]);
    expect(items[0]!.textContent).toContain('rita');
    expect(items[0]!.textContent).toContain('“twin sister”');
    expect(within(items[0]!).getByRole('link', { name: 'customer 44444444' }).getAttribute('href')).toBe(
      `/customers/${NEW_GOLDEN}`,
    );
    expect(items[1]!.textContent).toContain('family name');
  });

  it('lists enrolled faces, and says where a merged customer went without offering changes', () => {
    renderView({ customer: customerFixture({ status: 'merged', mergedInto: NEW_GOLDEN }) });
    expect(screen.getByRole('region', { name: 'Biometric references' }).textContent).toContain('enrolled');
    expect(screen.getByRole('link', { name: 'Open customer 44444444' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Split out/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Merge/ })).toBeNull();
  });

  it('offers the new customer after a split', () => {
    renderView({ lastSplit: { member: 'bank b-2', newCustomerId: NEW_GOLDEN } });
    expect(screen.getByRole('status').textContent).toContain('bank b-2 was split out');
  });
});
