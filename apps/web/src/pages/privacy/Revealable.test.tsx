import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Revealable, RevealProvider, type RevealValue } from './Revealable';

function shown(reveal: RevealValue, field: string, value: string) {
  return render(
    <RevealProvider reveal={reveal}>
      <Revealable field={field} value={value} target={{ recordId: 'r-1' }} />
    </RevealProvider>,
  );
}

describe('a masked value and its Reveal', () => {
  it('offers Reveal only on a masked national id or phone', () => {
    const reveal = vi.fn<RevealValue>();
    shown(reveal, 'email', 'w***@example.org');
    shown(reveal, 'phone', '+44 20 7946 0133');
    shown(reveal, 'given_name', '*****name');
    expect(screen.queryByRole('button', { name: 'Reveal' })).toBeNull();
  });

  it('shows the full value once the server answers, and keeps the mask when it refuses', async () => {
    const reveal = vi.fn<RevealValue>().mockResolvedValueOnce('QX-40196625');
    const { unmount } = shown(reveal, 'national_id', '*******6625');
    fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    await screen.findByText('QX-40196625');
    expect(reveal).toHaveBeenCalledWith({ recordId: 'r-1' }, 'national_id');
    expect(screen.queryByText('*******6625')).toBeNull();
    unmount();

    reveal.mockRejectedValueOnce(new Error('forbidden'));
    shown(reveal, 'phone', '************0133');
    fireEvent.click(screen.getByRole('button', { name: 'Reveal' }));
    await waitFor(() => expect(screen.getByText(/could not reveal/)).toBeTruthy());
    expect(screen.getByText('************0133')).toBeTruthy();
  });
});
