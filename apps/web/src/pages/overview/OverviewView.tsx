import { useMemo } from 'react';
import { formatTime } from '../../ui/format';
import { PageHeader } from '../../ui/states';
import { TimeSeriesChart, type ChartSeries } from '../../ui/TimeSeriesChart';
import { chartColumns, DECISIONS, LATENCY, STAGE_TIMES, STAGES } from './liveHistory';
import { OverviewStats } from './OverviewStats';
import type { EngineSample, FeedStatus, ThroughputSample } from './overviewTypes';
import { PartitionTable } from './PartitionTable';
import './overview.css';

const STATUS_TEXT: Record<FeedStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

function FeedBadge({ status, lastAt }: { status: FeedStatus; lastAt: string | null }) {
  return (
    <p className={`feed-badge feed-${status}`} role="status" aria-live="polite">
      <span className="feed-dot" aria-hidden="true" />
      {STATUS_TEXT[status]}
      <span className="feed-at">{lastAt ? `updated ${formatTime(lastAt)}` : '\u00a0'}</span>
    </p>
  );
}

const CHART_HEIGHT = 150;

/** The four live charts, in reading order: what comes out, what goes through, how long it takes. */
const CHARTS: Array<{ title: string; series: ChartSeries[]; column: keyof ReturnType<typeof chartColumns> }> =
  [
    { title: 'Decisions per second', series: DECISIONS, column: 'decisions' },
    { title: 'Records entering each stage, per second', series: STAGES, column: 'stages' },
    { title: 'Decision latency (ms)', series: LATENCY, column: 'latency' },
    { title: 'Mean time in each stage (ms)', series: STAGE_TIMES, column: 'stageLatency' },
  ];

/** The operator overview, from the samples it is given: figures, four live charts, the partitions. */
export function OverviewView({
  samples,
  engine,
  status,
  error,
}: {
  samples: ThroughputSample[];
  engine: EngineSample | null;
  status: FeedStatus;
  error: string | null;
}) {
  const columns = useMemo(() => chartColumns(samples), [samples]);
  const lastAt = samples.at(-1)?.at ?? engine?.at ?? null;
  return (
    <div className="overview">
      <PageHeader title="Overview">
        <FeedBadge status={status} lastAt={lastAt} />
      </PageHeader>
      {error && status !== 'live' ? (
        <div className="notice notice-error overview-feed-error" role="alert">
          <strong>Live updates interrupted: {error}.</strong> The figures below are from{' '}
          {lastAt ? formatTime(lastAt) : 'before'}; they resume by themselves when the server answers. If this
          lasts, check that the server is running (/health).
        </div>
      ) : null}
      <OverviewStats samples={samples} engine={engine} />
      <div className="grid grid-2 overview-charts">
        {CHARTS.map((chart) => (
          <section key={chart.column} className="card">
            <TimeSeriesChart
              title={chart.title}
              series={chart.series}
              data={columns[chart.column]}
              height={CHART_HEIGHT}
            />
          </section>
        ))}
      </div>
      <section className="overview-partitions" aria-labelledby="partitions-title">
        <h2 id="partitions-title">Partition actors</h2>
        <PartitionTable partitions={engine?.partitions ?? null} />
      </section>
    </div>
  );
}
