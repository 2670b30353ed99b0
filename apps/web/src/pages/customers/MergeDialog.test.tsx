import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CustomerSummary } from './customerTypes';
import { GOLDEN } from './fixtures.test-data';
import { MergeDialog } from './MergeDialog';

const other: CustomerSummary = {
  id: '77777777-7777-4777-8777-777777777777',
  best: { given_name: 'Augusta', family_name: 'King', date_of_birth: '1815-12-10' },
  memberCount: 2,
  version: 1,
  updatedAt: '2026-11-20T10:00:00.000Z',
};
const self: CustomerSummary = { ...other, id: GOLDEN };

describe('merging another customer in', () => {
  it('finds the other customer (never this one), and merges it with a reason', async () => {
    const search = vi.fn().mockResolvedValue([self, other]);
    const onConfirm = vi.fn();
    render(
      <MergeDialog
        open
        survivorId={GOLDEN}
        survivorName="Ada Lovelace"
        search={search}
        busy={false}
        onConfirm={onConfirm}
        onCancel={vi.fn()}
      />,
    );
    const dialog = screen.getByRole('dialog', { hidden: true });
    fireEvent.change(within(dialog).getByLabelText('Find the other customer'), { target: { value: 'King' } });
    const pick = await within(dialog).findByRole('radio', { hidden: true });
    expect(search).toHaveBeenCalledWith('King');
    expect(within(dialog).getAllByRole('radio', { hidden: true })).toHaveLength(1);
    fireEvent.click(pick);
    const merge = within(dialog).getByRole<HTMLButtonElement>('button', {
      name: 'Merge Augusta King here',
      hidden: true,
    });
    expect(merge.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/Why are they the same person/), {
      target: { value: 'same national id' },
    });
    fireEvent.click(merge);
    await waitFor(() => expect(onConfirm).toHaveBeenCalledWith(other.id, 'same national id'));
  });
});
