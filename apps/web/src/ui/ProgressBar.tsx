import { formatCount } from './format';

export interface ProgressSegment {
  label: string;
  value: number;
  /** A CSS class giving the segment its colour (decision-new, decision-linked, ...). */
  tone: string;
}

/** A stacked bar of what is done, by outcome, against the total; its size never changes as numbers move. */
export function ProgressBar({
  total,
  segments,
  label,
}: {
  total: number;
  segments: ProgressSegment[];
  label: string;
}) {
  const done = segments.reduce((sum, s) => sum + s.value, 0);
  const title = segments.map((s) => `${s.label}: ${formatCount(s.value)}`).join(', ');
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      title={title}
    >
      {segments.map((s) =>
        s.value > 0 && total > 0 ? (
          <span
            key={s.label}
            className={`progress-segment ${s.tone}`}
            style={{ width: `${(100 * s.value) / total}%` }}
          />
        ) : null,
      )}
    </div>
  );
}
