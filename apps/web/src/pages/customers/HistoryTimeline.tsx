import { Link } from 'react-router';
import { AuditChanges } from '../../ui/AuditChanges';
import { formatAgo, formatDateTime } from '../../ui/format';
import '../../ui/timeline.css';
import type { Customer, HistoryEntry, Member } from './customerTypes';
import { describeHistory, memberLabeller } from './history';

/** The customer's audit trail, newest first, each entry in words with its changes. */
export function HistoryTimeline({
  entries,
  members,
  named = [],
  now = Date.now(),
}: {
  entries: HistoryEntry[];
  members: Member[];
  /** Records the entries name that are no longer members. */
  named?: Customer['historyRecords'];
  now?: number;
}) {
  const label = memberLabeller(members, named);
  if (entries.length === 0) return <p className="muted">No history recorded.</p>;
  return (
    <ol className="timeline" aria-label="History">
      {[...entries].reverse().map((e) => {
        const story = describeHistory(e, label);
        return (
          <li key={e.id} className={`timeline-entry timeline-${story.kind}`}>
            <div className="timeline-head">
              <strong>{story.title}</strong>
              <time dateTime={e.at} title={formatDateTime(e.at)}>
                {formatDateTime(e.at)} · {formatAgo(e.at, now)}
              </time>
            </div>
            <div className="timeline-meta">
              by <span className="actor">{e.actor}</span>
              {story.link ? (
                <>
                  {' · '}
                  <Link to={story.link.to}>{story.link.text}</Link>
                </>
              ) : null}
            </div>
            {story.reason ? <blockquote className="timeline-reason">“{story.reason}”</blockquote> : null}
            {story.warnings.map((w) => (
              <p key={w} className="timeline-warning">
                {w}
              </p>
            ))}
            {story.changes.length > 0 ? (
              <ul className="timeline-changes">
                {story.changes.map((c) => (
                  <li key={c.field}>
                    <span className="change-field">{c.field.replace(/_/g, ' ')}</span> <del>{c.before}</del> →{' '}
                    <ins>{c.after}</ins>
                  </li>
                ))}
              </ul>
            ) : null}
            <details className="timeline-details">
              <summary>Details</summary>
              <AuditChanges before={e.before} after={e.after} />
            </details>
          </li>
        );
      })}
    </ol>
  );
}
