import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fieldQualityBySource, reviewBacklog, tableCsv, volumeByDecision } from './reportTables';
import type { DailyRow, Report } from './reportTypes';
import { ReportsView } from './ReportsView';

vi.mock('../../ui/TimeSeriesChart', () => ({
  TimeSeriesChart: ({ title }: { title: string }) => <figure aria-label={`${title} chart`} />,
}));

const day = (d: string, source: string, over: Partial<DailyRow> = {}): DailyRow => ({
  day: d,
  source,
  received: 10,
  new: 4,
  linked: 3,
  review: 1,
  rejected: 1,
  dead_lettered: 1,
  pending: 0,
  cancelled: 0,
  decided: 8,
  duplicate_rate: 0.375,
  cleaned: 8,
  decision_p50_ms: 40,
  decision_p95_ms: 90,
  dead_letters: 1,
  cases_opened: 2,
  cases_resolved: 1,
  resolve_p50_seconds: 7200,
  resolve_p95_seconds: 36000,
  backlog: 3,
  golden_created: 4,
  golden_merged: 0,
  ...over,
});

const REPORT: Report = {
  zone: 'UTC',
  from: '2026-03-01',
  to: '2026-03-02',
  days: [
    day('2026-03-01', 'bank'),
    day('2026-03-01', 'clinic', { received: 5, new: 1 }),
    day('2026-03-02', 'bank'),
  ],
  rejections: [],
  outcomes: [],
  fieldQuality: [
    { day: '2026-03-01', source: 'bank', field: 'phone', missing: 2, invalid: 1, repaired: 0, cleaned: 8 },
    { day: '2026-03-02', source: 'bank', field: 'phone', missing: 2, invalid: 3, repaired: 4, cleaned: 8 },
  ],
  reviewers: [
    { day: '2026-03-01', reviewer: 'ana', resolved: 3, handling_p50_seconds: 120, handling_p95_seconds: 300 },
  ],
  lastRollupAt: '2026-03-02T10:00:00.000Z',
};

describe('Reports', () => {
  it('sums the sources per day, and shares field problems over the cleaned records of the range', () => {
    expect(volumeByDecision(REPORT).rows[0]).toEqual(['2026-03-01', 15, 5, 6, 2, 2, 2, 0]);
    expect(fieldQualityBySource(REPORT).rows).toEqual([['bank', 'phone', 16, 0.25, 0.25, 0.25]]);
    expect(reviewBacklog(REPORT).rows[0]).toEqual(['2026-03-01', 4, 2, 6, 2, 10]);
    expect(tableCsv({ columns: ['a', 'b'], rows: [['x,y', null]] })).toBe('a,b\n"x,y",\n');
  });

  it('draws a chart and a table for each report, and asks for a new range from the form', () => {
    const onRange = vi.fn();
    render(
      <ReportsView
        range={{ from: '2026-03-01', to: '2026-03-02' }}
        zones={['UTC', 'Europe/Berlin']}
        report={REPORT}
        loading={false}
        error={null}
        onRange={onRange}
        onRetry={() => undefined}
      />,
    );
    for (const title of [
      'Volume by decision',
      'Duplicate rate by source',
      'Review backlog and time to resolve',
      'Field quality by source',
      'Reviewer throughput',
    ]) {
      const section = screen.getByRole('region', { name: title });
      expect(within(section).getByRole('figure', { name: `${title} chart` })).toBeTruthy();
      expect(within(section).getByRole('table')).toBeTruthy();
      expect(within(section).getByRole('button', { name: 'Download CSV' })).toBeTruthy();
    }
    const volume = within(screen.getByRole('table', { name: 'Volume by decision table' })).getAllByRole(
      'row',
    );
    expect(volume).toHaveLength(3);
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-02-01' } });
    fireEvent.change(screen.getByLabelText('Days in'), { target: { value: 'Europe/Berlin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(onRange).toHaveBeenCalledWith({ from: '2026-02-01', to: '2026-03-02', zone: 'Europe/Berlin' });
  });
});
