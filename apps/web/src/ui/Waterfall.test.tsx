import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Waterfall, type WaterfallData } from './Waterfall';

const data: WaterfallData = {
  prior: -10,
  steps: [
    { field: 'given_name', level: 'exact', weight: 7.3, start: -10, end: -2.7 },
    { field: 'date_of_birth', level: 'exact', weight: 12.8, start: -2.7, end: 10.1 },
    { field: 'postcode', level: 'different', weight: -4.3, start: 10.1, end: 5.8 },
    { field: 'gender', level: 'different', weight: -4.1, start: 5.8, end: 1.7 },
    { field: 'email', level: 'missing', weight: 0, start: 1.7, end: 1.7 },
  ],
  total: 1.7,
  thresholds: { link: 0, review: -2 },
};

describe('Waterfall', () => {
  it('draws the prior and each weighed field, whose weights add up to the total', () => {
    const { container } = render(<Waterfall data={data} />);
    const rows = [...container.querySelectorAll<HTMLElement>('.waterfall-row')];
    const weight = (r: HTMLElement) => Number(r.dataset.weight);
    const total = rows.find((r) => r.dataset.field === 'Total')!;
    const bars = rows.filter((r) => r !== total);
    expect(bars.map((r) => r.dataset.field)).toEqual([
      'Prior',
      'Given name',
      'Date of birth',
      'Postcode',
      'Gender',
    ]);
    expect(bars.reduce((sum, r) => sum + weight(r), 0)).toBeCloseTo(weight(total), 6);
    expect(screen.getByTestId('waterfall-total').textContent).toBe('+1.7');
    // Against the decision: red bars; not compared: listed, not drawn.
    expect(container.querySelectorAll('.waterfall-bar-against')).toHaveLength(2);
    expect(screen.getByText(/Not compared.*email/)).toBeTruthy();
  });

  it('draws a bar from where the previous one ended, and the thresholds as lines', () => {
    const { container } = render(<Waterfall data={data} />);
    const left = (field: string) =>
      parseFloat(container.querySelector<HTMLElement>(`[data-field="${field}"] .waterfall-bar`)!.style.left);
    const width = (field: string) =>
      parseFloat(container.querySelector<HTMLElement>(`[data-field="${field}"] .waterfall-bar`)!.style.width);
    expect(left('Date of birth')).toBeCloseTo(left('Given name') + width('Given name'), 6);
    // A negative weight runs leftwards: its left end is where the next bar's right end is.
    expect(left('Postcode')).toBeCloseTo(left('Gender') + width('Gender'), 6);
    expect(screen.getByText('link 0')).toBeTruthy();
    expect(screen.getByText('review -2')).toBeTruthy();
  });
});
