import type { ReactNode } from 'react';
import { formatCount, formatPercent } from '../../ui/format';
import { ProgressBar } from '../../ui/ProgressBar';
import type { BatchCounts } from './batchTypes';
import { decidedOf, segmentsOf } from './decisions';

/** The stacked bar and "decided / total" under it; fixed size, so live updates do not shift the row. */
export function BatchProgress({
  counts,
  label,
  status,
}: {
  counts: BatchCounts;
  label: string;
  status?: ReactNode;
}) {
  const decided = decidedOf(counts);
  return (
    <div className="batch-progress">
      <ProgressBar total={counts.records} segments={segmentsOf(counts)} label={label} />
      <span className="batch-progress-text">
        {status}
        {formatCount(decided)} / {formatCount(counts.records)}
        <span className="muted"> · {formatPercent(counts.records === 0 ? 1 : decided / counts.records)}</span>
      </span>
    </div>
  );
}
