import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ReviewCaseView } from './ReviewCaseView';
import type { ReviewCase } from './reviewTypes';

const field = (name: string, level: string, weight: number) => ({
  field: name,
  level,
  weight,
  left: null,
  right: null,
});

function caseView(overrides: Partial<ReviewCase['case']> = {}): ReviewCase {
  const incoming = {
    external_id: 'in-1',
    given_name: 'Maria',
    family_name: 'Oliveira',
    date_of_birth: '1985-03-12',
    city: 'Porto',
    face_image: 'faces/in.png',
  };
  return {
    case: {
      id: 'case-1',
      kind: 'possible_match',
      status: 'claimed',
      score: -1.2,
      createdAt: '2025-01-01T10:00:00Z',
      recordId: 'rec-in',
      source: 'crm',
      externalId: 'in-1',
      claimedBy: 'rita',
      claimedAt: '2025-01-01T10:05:00Z',
      resolvedBy: null,
      resolvedAt: null,
      resolution: null,
      reason: null,
      candidateCount: 2,
      name: 'Maria Oliveira',
      dateOfBirth: '1985-03-12',
      ...overrides,
    },
    record: { id: 'rec-in', source: 'crm', externalId: 'in-1', status: 'review', payload: incoming },
    explanation: {
      liveness: { checked: true, live: true, score: 0.97 },
      biometric: { weight: 3, hits: [{ goldenId: 'gold-a', scaledScore: 61.5 }] },
    },
    waterfall: {
      prior: -10,
      steps: [
        { field: 'given_name', level: 'exact', weight: 7, start: -10, end: -3 },
        { field: 'city', level: 'different', weight: -3, start: -3, end: -6 },
      ],
      total: -6,
      thresholds: { link: 0, review: -2 },
    },
    candidates: [
      {
        goldenId: 'gold-a',
        score: -1.2,
        status: 'active',
        mergedInto: null,
        best: {},
        memberCount: 1,
        bestMemberId: 'rec-a',
        members: [
          {
            recordId: 'rec-a',
            source: 'crm',
            externalId: 'a',
            payload: {
              given_name: 'Maria',
              family_name: 'Olivera',
              date_of_birth: '1985-03-12',
              city: 'Lisboa',
              face_image: 'faces/a.png',
            },
          },
        ],
        comparison: {
          from: 'decision',
          fields: [
            field('given_name', 'exact', 7),
            field('family_name', 'typo', 4),
            field('date_of_birth', 'exact', 12),
            field('city', 'different', -3),
          ],
        },
      },
      {
        goldenId: 'gold-b',
        score: -1.9,
        status: 'active',
        mergedInto: null,
        best: {},
        memberCount: 3,
        bestMemberId: 'rec-b',
        members: [
          {
            recordId: 'rec-b',
            source: 'crm',
            externalId: 'b',
            payload: { given_name: 'Mario', family_name: 'Oliveira', date_of_birth: '1985-12-03' },
          },
        ],
        comparison: {
          from: 'active_model',
          fields: [
            field('given_name', 'close', 3),
            field('family_name', 'exact', 7),
            field('date_of_birth', 'swapped_day_month', 8),
          ],
        },
      },
    ],
  } as ReviewCase;
}

const rowOf = (label: string) => screen.getByRole('rowheader', { name: label }).closest('tr')!;
const cells = (label: string) => within(rowOf(label)).getAllByRole('cell');

describe('ReviewCaseView', () => {
  it('shows the record and each candidate side by side, coloured by the engine’s comparison levels', () => {
    render(<ReviewCaseView view={caseView()} onResolve={vi.fn()} onBack={vi.fn()} />);
    const family = cells('Family name');
    expect(family.map((c) => c.textContent)).toEqual(['Oliveira', 'Oliveratypo', 'Oliveira']);
    expect(family.map((c) => c.dataset.agreement)).toEqual([undefined, 'partial', 'agree']);
    expect(cells('Date of birth').map((c) => c.dataset.agreement)).toEqual([undefined, 'agree', 'partial']);
    const city = cells('City');
    expect(city[1]!.className).toContain('disagree');
    // Not compared on candidate B (it has no city): no colour.
    expect(city[2]!.dataset.agreement).toBe('none');
    expect(screen.queryByRole('rowheader', { name: 'Email' })).toBeNull();
    // Faces: liveness of the record, ABIS score of each candidate.
    expect(within(rowOf('Face')).getByText('97%')).toBeTruthy();
    expect(within(rowOf('Face')).getByText('61.5')).toBeTruthy();
    expect(within(rowOf('Face')).getByText('no hit')).toBeTruthy();
  });

  it('asks a reason and resolves with the key of each decision', () => {
    const onResolve = vi.fn();
    render(<ReviewCaseView view={caseView()} onResolve={onResolve} onBack={vi.fn()} />);
    const decideWith = (key: string, reason: string) => {
      fireEvent.keyDown(window, { key });
      const input = screen.getByLabelText(/Reason/);
      fireEvent.change(input, { target: { value: reason } });
      fireEvent.submit(input.closest('form')!);
    };
    decideWith('2', 'same dob, name typo');
    expect(onResolve).toHaveBeenLastCalledWith(
      { resolution: 'same_as', goldenId: 'gold-b', label: 'B' },
      'same dob, name typo',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    decideWith('n', 'different people');
    expect(onResolve).toHaveBeenLastCalledWith({ resolution: 'new_person' }, 'different people');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    decideWith('m', 'one person twice');
    expect(onResolve).toHaveBeenLastCalledWith({ resolution: 'merge' }, 'one person twice');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    decideWith('r', 'test record');
    expect(onResolve).toHaveBeenLastCalledWith({ resolution: 'reject' }, 'test record');
    expect(onResolve).toHaveBeenCalledTimes(4);
  });

  it('refuses a reason too short, ignores keys with a modifier or after "g", and goes back on Escape', () => {
    const onResolve = vi.fn();
    const onBack = vi.fn();
    render(<ReviewCaseView view={caseView()} onResolve={onResolve} onBack={onBack} />);
    fireEvent.keyDown(window, { key: '1', ctrlKey: true });
    fireEvent.keyDown(window, { key: 'g' });
    fireEvent.keyDown(window, { key: 'r' });
    expect(screen.queryByLabelText(/Reason/)).toBeNull();
    fireEvent.keyDown(window, { key: '1' });
    fireEvent.change(screen.getByLabelText(/Reason/), { target: { value: 'ok' } });
    expect(screen.getByRole('button', { name: 'Link record' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onBack).toHaveBeenCalledTimes(1);
    expect(onResolve).not.toHaveBeenCalled();
  });

  it('is read-only when someone else holds the case', () => {
    const onResolve = vi.fn();
    render(
      <ReviewCaseView
        view={caseView()}
        readOnly="rita is working on this case"
        onResolve={onResolve}
        onBack={vi.fn()}
      />,
    );
    expect(screen.getByText('rita is working on this case')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Same as A/ })).toHaveProperty('disabled', true);
    fireEvent.keyDown(window, { key: '1' });
    expect(screen.queryByLabelText(/Reason/)).toBeNull();
  });

  it('offers merge or keep apart for a merge proposal between golden records, which has no record', () => {
    const onResolve = vi.fn();
    const proposal = { ...caseView({ kind: 'merge_proposal', recordId: null, name: null }), record: null };
    render(<ReviewCaseView view={proposal} onResolve={onResolve} onBack={vi.fn()} />);
    expect(screen.queryByRole('button', { name: /Same as/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /New person/ })).toBeNull();
    fireEvent.keyDown(window, { key: '1' });
    fireEvent.keyDown(window, { key: 'n' });
    expect(screen.queryByLabelText(/Reason/)).toBeNull();
    // Candidate A is the reference column; B is coloured against it.
    expect(screen.getByRole('columnheader', { name: /Candidate A/ })).toBeTruthy();
    expect(cells('Family name').map((c) => c.textContent)).toEqual(['Olivera', 'Oliveira']);
    fireEvent.keyDown(window, { key: 'r' });
    expect(screen.getByRole('heading', { name: 'Keep the golden records apart' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Reason/), { target: { value: 'father and son' } });
    fireEvent.submit(screen.getByLabelText(/Reason/).closest('form')!);
    expect(onResolve).toHaveBeenLastCalledWith({ resolution: 'reject' }, 'father and son');
  });
});
