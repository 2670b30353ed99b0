import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import type { BatchReceipt, UploadReading } from './batchTypes';
import { NewBatchPanel } from './NewBatchPanel';

const reading = (over: Partial<UploadReading> = {}): UploadReading => ({
  format: 'csv',
  columns: ['external_id', 'given_name', 'family_name'],
  records: Array.from({ length: 1500 }, (_, i) => ({
    external_id: `p${i}`,
    given_name: 'Ana',
    family_name: 'Silva',
    attributes: {},
  })),
  problems: [{ line: 7, errors: [{ field: 'external_id', message: 'is required' }] }],
  problemCount: 1,
  warnings: 0,
  ...over,
});

const receipt: BatchReceipt = { batchId: 'x', accepted: 1500, rejected: [], duplicates: [], warnings: [] };

function setup(read: UploadReading | Error = reading()) {
  const onRead = vi.fn(() => (read instanceof Error ? Promise.reject(read) : Promise.resolve(read)));
  const onSubmit = vi.fn(() => Promise.resolve(receipt));
  render(<NewBatchPanel maxRecords={10_000} onRead={onRead} onSubmit={onSubmit} onClose={() => undefined} />);
  return { onRead, onSubmit };
}

const choose = (content: string, name = 'north-registry.csv') =>
  fireEvent.change(screen.getByLabelText('File'), {
    target: { files: [new File([content], name, { type: 'text/csv' })] },
  });

describe('a new batch from a file', () => {
  it("reads the chosen file through the server, shows what it found with each bad row's line, then submits", async () => {
    const { onRead, onSubmit } = setup();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Submit' }).disabled).toBe(true);
    choose('external_id,given_name\np1,Ana\n');
    await screen.findByText('1,500 records ready');
    expect(onRead).toHaveBeenCalledWith('north-registry.csv', 'external_id,given_name\np1,Ana\n');
    expect(screen.getByLabelText<HTMLInputElement>('Source').value).toBe('north-registry');
    const problems = screen.getByRole('table', { name: 'Rows left out' });
    expect(problems.textContent).toContain('7');
    expect(problems.textContent).toContain('external_id');
    expect(problems.textContent).toContain('is required');
    fireEvent.change(screen.getByLabelText('Source'), { target: { value: ' registry ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit 1,500 records' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]).toEqual(['registry', expect.objectContaining({ format: 'csv' })]);
  });

  it('refuses a file larger than a batch, and a batch without a source', async () => {
    setup(
      reading({
        records: Array.from({ length: 10_001 }, (_, i) => ({ external_id: `p${i}`, attributes: {} })),
      }),
    );
    choose('x');
    await screen.findByText(/split the file/);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: /Submit/ }).disabled).toBe(true);
  });

  it("shows the server's reason when the file cannot be read", async () => {
    const error = new TRPCClientError('the request is invalid');
    Object.assign(error, {
      data: { fields: [{ field: 'file', message: 'a.csv: has a header line but no rows' }] },
    });
    setup(error);
    choose('external_id\n', 'a.csv');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('a.csv cannot be used');
    expect(alert.textContent).toContain('has a header line but no rows');
  });
});
