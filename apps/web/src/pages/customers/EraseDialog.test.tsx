import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { EraseDialog, type ErasurePreview } from './EraseDialog';

const plan: ErasurePreview = {
  records: [{}, {}],
  goldenRecords: [{ goldenId: 'g-1', outcome: 'erased', membersLeft: 0 }],
  faceReferences: [{}],
  reviewCases: [{ closes: true }, { closes: false }],
  contacts: [1],
  blockingKeys: 14,
};

describe('erasing a person from the golden record page', () => {
  it('shows the dry run before anything is erased, then erases with the reason', async () => {
    const preview = vi.fn().mockResolvedValue(plan);
    const erase = vi.fn().mockResolvedValue(undefined);
    render(
      <EraseDialog open customerName="Ada Lovelace" preview={preview} erase={erase} onCancel={vi.fn()} />,
    );
    const dialog = screen.getByRole('dialog', { hidden: true });
    const first = within(dialog).getByRole<HTMLButtonElement>('button', {
      name: 'Show what would be erased',
      hidden: true,
    });
    expect(first.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/Why is this person erased/), {
      target: { value: 'data subject request 118' },
    });
    fireEvent.click(first);
    const summary = await within(dialog).findByRole('status', { name: 'What would be erased', hidden: true });
    expect(preview).toHaveBeenCalledWith('data subject request 118');
    expect(erase).not.toHaveBeenCalled();
    expect(summary.textContent).toContain('2 records');
    expect(summary.textContent).toContain('the customer itself');
    expect(summary.textContent).toContain('1 face reference in ABIS');
    expect(summary.textContent).toContain('1 open review case');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Erase for good', hidden: true }));
    await waitFor(() => expect(erase).toHaveBeenCalledWith('data subject request 118'));
  });

  it('says what went wrong and erases nothing when the dry run fails', async () => {
    const preview = vi.fn().mockRejectedValue(new Error('customer x is already erased'));
    const erase = vi.fn();
    render(
      <EraseDialog open customerName="Ada Lovelace" preview={preview} erase={erase} onCancel={vi.fn()} />,
    );
    const dialog = screen.getByRole('dialog', { hidden: true });
    fireEvent.change(within(dialog).getByLabelText(/Why is this person erased/), {
      target: { value: 'request' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Show what would be erased', hidden: true }));
    expect((await within(dialog).findByRole('alert', { hidden: true })).textContent).toContain(
      'already erased',
    );
    expect(erase).not.toHaveBeenCalled();
  });
});
