import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { ChartData, ChartSeries } from '../../ui/TimeSeriesChart';
import { engineSample, partition, throughputSample } from './overviewFixtures';
import { OverviewView } from './OverviewView';

// jsdom has no canvas: the chart stands in as its title and each series' latest value.
vi.mock('../../ui/TimeSeriesChart', () => ({
  TimeSeriesChart: ({ title, series, data }: { title: string; series: ChartSeries[]; data: ChartData }) => (
    <figure aria-label={title}>
      {series.map((s, i) => (
        <span key={s.label}>{`${s.label}: ${String(data[i + 1]?.at(-1) ?? '-')}`}</span>
      ))}
    </figure>
  ),
}));

const T0 = Date.parse('2026-03-02T10:00:00Z');
const stat = (label: string) => screen.getByRole('region', { name: label });

function renderView(props: Partial<Parameters<typeof OverviewView>[0]> = {}) {
  return render(
    <MemoryRouter>
      <OverviewView samples={[]} engine={null} status="live" error={null} {...props} />
    </MemoryRouter>,
  );
}

describe('the operator overview', () => {
  it('holds the place of every figure while nothing has arrived', () => {
    renderView({ status: 'connecting' });
    expect(screen.getByRole('status').textContent).toContain('Connecting…');
    for (const label of ['Decided per second', 'Review queue', 'Dead letters', 'Tech5', 'Elasticsearch'])
      expect(within(stat(label)).getByLabelText('Loading')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the live figures, formatted, and where to act on them', () => {
    renderView({
      samples: [
        throughputSample(T0, 40, { p50: 3.25, p95: 18.04, mean: 5 }),
        throughputSample(T0 + 1000, 1234, { p50: 4, p95: 1500, mean: 9 }),
      ],
      engine: engineSample({
        reviewQueue: 12,
        deadLetters: 3,
        relayBacklog: 2500,
        dependencies: { tech5: { ok: true, detail: 'liveness and ABIS answering' } },
        partitions: [partition(0, { lag: 7000 }), partition(1, { lag: 1 })],
      }),
    });
    expect(within(stat('Decided per second')).getByText('1,234')).toBeTruthy();
    expect(stat('Decided per second').textContent).toContain('1,274 in the last 2 s');
    expect(stat('Latency p50 / p95').textContent).toContain('4 ms / 1.5 s');
    expect(stat('Review queue').textContent).toContain('12');
    expect(
      within(stat('Dead letters')).getByRole('link', { name: 'Replay or discard' }).getAttribute('href'),
    ).toBe('/dead-letters');
    expect(stat('Relay backlog').textContent).toContain('2,500');
    expect(stat('Waiting in partitions').textContent).toContain('7,001across 2 partitions');
    expect(stat('Tech5').textContent).toContain('Healthy');
    expect(stat('Elasticsearch').textContent).toContain('Not configuredcandidates from Postgres');
    expect(screen.getByRole('figure', { name: 'Decisions per second' }).textContent).toContain('New: 823');
    expect(screen.getByRole('figure', { name: 'Decision latency (ms)' }).textContent).toContain('p95: 1500');
  });

  it('shows the live rate of /identify calls and what they created and joined', () => {
    renderView({
      samples: [
        { ...throughputSample(T0, 0), identify: { calls: 30, created: 9, joined: 1 } },
        { ...throughputSample(T0 + 1000, 0), identify: { calls: 42, created: 7, joined: 0 } },
      ],
    });
    expect(within(stat('/identify per second')).getByText('42')).toBeTruthy();
    expect(stat('/identify per second').textContent).toContain(
      '16 contacts created, 1 families joined in 2 s',
    );
  });

  it('lists each partition actor with its state, lag, restarts and last error', () => {
    renderView({
      samples: [throughputSample(T0, 0)],
      engine: engineSample({
        partitions: [
          partition(0, { decided: 1200, lag: 15 }),
          partition(1, {
            state: 'backing_off',
            restarts: 2,
            lastError: 'connect ECONNREFUSED 127.0.0.1:5432',
            inFlight: 1,
          }),
          partition(2, { state: 'paused' }),
        ],
      }),
    });
    const rows = within(screen.getByRole('table', { name: 'Partition actors' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]!.textContent)).toEqual([
      'Running',
      'Backing off',
      'Paused',
    ]);
    expect(rows[0]!.textContent).toContain('1,200');
    expect(rows[1]!.textContent).toContain('connect ECONNREFUSED 127.0.0.1:5432');
    expect(rows[2]!.textContent).toContain('none');
    expect(stat('Waiting in partitions').textContent).toContain('1 of 3 partitions paused');
  });

  it('says when the feed is interrupted and what happens next, keeping the last figures', () => {
    renderView({
      samples: [throughputSample(T0, 9)],
      engine: engineSample({
        relayError: 'bus unavailable',
        dependencies: { tech5: { ok: false, detail: 'liveness unreachable (ECONNREFUSED)' } },
      }),
      status: 'reconnecting',
      error: 'WebSocket closed',
    });
    expect(screen.getByRole('status').textContent).toContain('Reconnecting…');
    expect(screen.getByRole('alert').textContent).toContain('Live updates interrupted: WebSocket closed.');
    expect(screen.getByRole('alert').textContent).toContain('resume by themselves');
    expect(stat('Decided per second').textContent).toContain('9');
    expect(stat('Relay backlog').textContent).toContain('Relay failing: bus unavailable');
    expect(stat('Tech5').textContent).toContain('Downliveness unreachable (ECONNREFUSED)');
  });
});
