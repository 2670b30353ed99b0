import { formatCount } from '../../ui/format';
import { Skeleton } from '../../ui/states';
import type { PartitionRow } from './overviewTypes';

const STATE_LABEL: Record<PartitionRow['state'], string> = {
  running: 'Running',
  backing_off: 'Backing off',
  paused: 'Paused',
  stopped: 'Stopped',
};

function LagBar({ lag, max }: { lag: number; max: number }) {
  const share = max > 0 ? lag / max : 0;
  return (
    <div className="lag-cell">
      <span className="lag-value">{formatCount(lag)}</span>
      <span className="lag-track" aria-hidden="true">
        <span className="lag-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </div>
  );
}

/** One row per partition actor: its state, what waits for it, and what went wrong last. */
export function PartitionTable({ partitions }: { partitions: PartitionRow[] | null }) {
  if (!partitions) return <Skeleton rows={4} height="2rem" />;
  const maxLag = Math.max(0, ...partitions.map((p) => p.lag));
  return (
    <div className="table-wrap">
      <table className="partition-table" aria-label="Partition actors">
        <thead>
          <tr>
            <th className="num">Partition</th>
            <th>State</th>
            <th>Waiting (lag)</th>
            <th className="num">In flight</th>
            <th className="num">Mailbox</th>
            <th className="num">Decided</th>
            <th className="num">Restarts</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => (
            <tr key={p.partition}>
              <td className="num">{p.partition}</td>
              <td>
                <span className={`badge actor-${p.state}`}>{STATE_LABEL[p.state]}</span>
              </td>
              <td>
                <LagBar lag={p.lag} max={maxLag} />
              </td>
              <td className="num">{formatCount(p.inFlight)}</td>
              <td className="num">{formatCount(p.mailbox)}</td>
              <td className="num">{formatCount(p.decided)}</td>
              <td className="num">{formatCount(p.restarts)}</td>
              <td className="last-error" title={p.lastError ?? undefined}>
                {p.lastError ?? <span className="muted">none</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
