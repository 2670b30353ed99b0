import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatCount, formatDecimal, formatMs } from '../../ui/format';
import { decidedFigures, identifyFigures, latestLatency } from './liveHistory';
import type { EngineSample, ThroughputSample } from './overviewTypes';

function Stat({
  label,
  value,
  note,
  tone,
  children,
}: {
  label: string;
  value: ReactNode | undefined;
  note?: ReactNode;
  tone?: 'ok' | 'warn' | 'bad';
  children?: ReactNode;
}) {
  return (
    <section className={`card stat overview-stat${tone ? ` overview-stat-${tone}` : ''}`} aria-label={label}>
      <span className="stat-label">{label}</span>
      {value === undefined ? (
        <span className="overview-stat-placeholder" aria-busy="true" aria-label="Loading" />
      ) : (
        <span className="stat-value">{value}</span>
      )}
      <span className="stat-note overview-stat-note">{note ?? '\u00a0'}</span>
      {children}
    </section>
  );
}

function Dependency({
  label,
  part,
  absent,
}: {
  label: string;
  part: { ok: boolean; detail?: string } | undefined;
  absent: string;
}) {
  if (!part) return <Stat label={label} value="Not configured" note={absent} />;
  return (
    <Stat
      label={label}
      value={part.ok ? 'Healthy' : 'Down'}
      tone={part.ok ? 'ok' : 'bad'}
      note={<span title={part.detail}>{part.detail}</span>}
    />
  );
}

/** The figures an operator scans first; each card keeps its size whether or not data has come. */
export function OverviewStats({
  samples,
  engine,
}: {
  samples: ThroughputSample[];
  engine: EngineSample | null;
}) {
  const decided = decidedFigures(samples);
  const latency = latestLatency(samples);
  const identify = identifyFigures(samples);
  const hasThroughput = samples.length > 0;
  const lag = engine ? engine.partitions.reduce((n, p) => n + p.lag, 0) : undefined;
  const paused = engine?.partitions.filter((p) => p.state === 'paused').length ?? 0;
  return (
    <div className="grid grid-4 overview-stats">
      <Stat
        label="Decided per second"
        value={hasThroughput ? formatDecimal(decided.perSecond) : undefined}
        note={
          hasThroughput
            ? `${formatCount(decided.total)} in the last ${formatCount(samples.length)} s`
            : undefined
        }
      />
      <Stat
        label="Latency p50 / p95"
        value={
          hasThroughput ? (latency ? `${formatMs(latency.p50)} / ${formatMs(latency.p95)}` : '–') : undefined
        }
        note={
          hasThroughput
            ? latency
              ? `mean ${formatMs(latency.mean)} per record`
              : 'nothing decided yet'
            : undefined
        }
      />
      <Stat
        label="/identify per second"
        value={hasThroughput ? formatDecimal(identify.perSecond) : undefined}
        note={
          hasThroughput
            ? `${formatCount(identify.created)} contacts created, ${formatCount(identify.joined)} families joined in ${formatCount(samples.length)} s`
            : undefined
        }
      />
      <Stat
        label="Review queue"
        value={engine ? formatCount(engine.reviewQueue) : undefined}
        tone={engine?.reviewQueue ? 'warn' : undefined}
        note={engine ? <Link to="/review">Open the review queue</Link> : undefined}
      />
      <Stat
        label="Dead letters"
        value={engine ? formatCount(engine.deadLetters) : undefined}
        tone={engine?.deadLetters ? 'bad' : undefined}
        note={engine ? <Link to="/dead-letters">Replay or discard</Link> : undefined}
      />
      <Stat
        label="Relay backlog"
        value={engine ? formatCount(engine.relayBacklog) : undefined}
        tone={engine?.relayError ? 'bad' : undefined}
        note={
          engine ? (
            engine.relayError ? (
              <span title={engine.relayError}>Relay failing: {engine.relayError}</span>
            ) : (
              'accepted, not yet on the bus'
            )
          ) : undefined
        }
      />
      <Stat
        label="Waiting in partitions"
        value={lag === undefined ? undefined : formatCount(lag)}
        tone={paused ? 'bad' : undefined}
        note={
          engine
            ? paused
              ? `${formatCount(paused)} of ${formatCount(engine.partitions.length)} partitions paused`
              : `across ${formatCount(engine.partitions.length)} partitions`
            : undefined
        }
      />
      {engine ? (
        <>
          <Dependency label="Tech5" part={engine.dependencies.tech5} absent="no biometric stages" />
          <Dependency
            label="Elasticsearch"
            part={engine.dependencies.elasticsearch}
            absent="candidates from Postgres"
          />
        </>
      ) : (
        <>
          <Stat label="Tech5" value={undefined} />
          <Stat label="Elasticsearch" value={undefined} />
        </>
      )}
    </div>
  );
}
