import { formatCount } from '../../ui/format';
import type { BatchCounts } from './batchTypes';
import { DECISIONS } from './decisions';

/**
 * A batch's counts by decision, each in a fixed-width cell so numbers changing live never move the
 * row; zeros are quiet, not hidden, so the columns stay in place.
 */
export function DecisionCounts({ counts }: { counts: BatchCounts }) {
  return (
    <ul className="decision-counts" aria-label="Counts by decision">
      {DECISIONS.filter((d) => d.key !== 'cancelled' || counts.cancelled > 0).map((d) => (
        <li key={d.key} className={counts[d.key] === 0 ? 'zero' : undefined} title={d.label}>
          <span className={`dot ${d.tone}`} aria-hidden="true" />
          <span className="decision-counts-label">{d.label}</span>{' '}
          <span className="decision-counts-value">{formatCount(counts[d.key])}</span>
        </li>
      ))}
    </ul>
  );
}
