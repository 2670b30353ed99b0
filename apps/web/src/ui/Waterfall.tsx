import { formatDecimal } from './format';
import './waterfall.css';

export interface WaterfallData {
  prior: number;
  steps: Array<{ field: string; level: string; weight: number; start: number; end: number }>;
  total: number;
  thresholds: { link: number; review: number };
}

const label = (field: string) => field.replaceAll('_', ' ');
const heading = (field: string) => {
  const text = label(field);
  return text.charAt(0).toUpperCase() + text.slice(1);
};
const signed = (n: number) => (n > 0 ? `+${formatDecimal(n)}` : formatDecimal(n));

/**
 * A decision's score built up field by field (log2 odds): the prior, each compared field's
 * weight as a bar from the running total, and the total against the link and review
 * thresholds. Fields that were not compared weigh nothing and are listed, not drawn.
 */
export function Waterfall({ data, title = 'Why this score' }: { data: WaterfallData; title?: string }) {
  const drawn = data.steps.filter((s) => s.weight !== 0 || s.level !== 'missing');
  const skipped = data.steps.filter((s) => s.weight === 0 && s.level === 'missing');
  const values = [0, data.prior, data.total, data.thresholds.link, data.thresholds.review];
  for (const s of drawn) values.push(s.start, s.end);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.04 || 1;
  const x = (v: number) => ((v - lo + pad) / (hi - lo + 2 * pad)) * 100;
  const bar = (from: number, to: number) => ({
    left: `${x(Math.min(from, to))}%`,
    width: `${Math.max(x(Math.max(from, to)) - x(Math.min(from, to)), 0.4)}%`,
  });
  const verdict =
    data.total >= data.thresholds.link ? 'link' : data.total >= data.thresholds.review ? 'review' : 'new';
  return (
    <figure className="waterfall" aria-label={title}>
      <figcaption>
        <span>{title}</span>
        <span className={`waterfall-verdict waterfall-${verdict}`}>
          total <strong data-testid="waterfall-total">{signed(data.total)}</strong>
        </span>
      </figcaption>
      <div className="waterfall-body">
        <div className="waterfall-rows" role="list">
          <Row
            name="Prior"
            note="before any field"
            value={data.prior}
            style={bar(0, data.prior)}
            kind="prior"
          />
          {drawn.map((s) => (
            <Row
              key={s.field}
              name={heading(s.field)}
              note={s.level.replaceAll('_', ' ')}
              value={s.weight}
              style={bar(s.start, s.end)}
              kind={s.weight >= 0 ? 'for' : 'against'}
            />
          ))}
          <Row name="Total" note="decided on" value={data.total} style={bar(0, data.total)} kind="total" />
        </div>
        <div className="waterfall-guides" aria-hidden="true">
          <span className="waterfall-zero" style={{ left: `${x(0)}%` }} />
          <span
            className="waterfall-line waterfall-line-review"
            style={{ left: `${x(data.thresholds.review)}%` }}
          >
            <em>review {signed(data.thresholds.review)}</em>
          </span>
          <span
            className="waterfall-line waterfall-line-link"
            style={{ left: `${x(data.thresholds.link)}%` }}
          >
            <em>link {signed(data.thresholds.link)}</em>
          </span>
        </div>
      </div>
      {skipped.length > 0 ? (
        <p className="waterfall-skipped">
          Not compared (missing on one side): {skipped.map((s) => label(s.field)).join(', ')}
        </p>
      ) : null}
    </figure>
  );
}

function Row({
  name,
  note,
  value,
  style,
  kind,
}: {
  name: string;
  note: string;
  value: number;
  style: { left: string; width: string };
  kind: 'prior' | 'for' | 'against' | 'total';
}) {
  return (
    <div
      className={`waterfall-row waterfall-row-${kind}`}
      role="listitem"
      data-field={name}
      data-weight={value}
    >
      <span className="waterfall-name" title={note}>
        {name}
        <small>{note}</small>
      </span>
      <span className="waterfall-track">
        <span className={`waterfall-bar waterfall-bar-${kind}`} style={style} />
      </span>
      <span className="waterfall-value">{signed(value)}</span>
    </div>
  );
}
