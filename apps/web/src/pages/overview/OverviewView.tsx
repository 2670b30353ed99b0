import { useMemo } from 'react';
import { formatTime } from '../../ui/format';
import { PageHeader } from '../../ui/states';
import { TimeSeriesChart } from '../../ui/TimeSeriesChart';
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
        <section className="card">
          <TimeSeriesChart
            title="Decisions per second"
            series={DECISIONS}
            data={columns.decisions}
            height={CHART_HEIGHT}
          />
        </section>
        <section className="card">
          <TimeSeriesChart
            title="Records entering each stage, per second"
            series={STAGES}
            data={columns.stages}
            height={CHART_HEIGHT}
          />
        </section>
        <section className="card">
          <TimeSeriesChart
            title="Decision latency (ms)"
            series={LATENCY}
            data={columns.latency}
            height={CHART_HEIGHT}
          />
        </section>
        <section className="card">
          <TimeSeriesChart
            title="Mean time in each stage (ms)"
            series={STAGE_TIMES}
            data={columns.stageLatency}
            height={CHART_HEIGHT}
          />
        </section>
      </div>
      <section className="overview-partitions" aria-labelledby="partitions-title">
        <h2 id="partitions-title">Partition actors</h2>
        <PartitionTable partitions={engine?.partitions ?? null} />
      </section>
    </div>
  );
}
