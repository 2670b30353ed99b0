import { Link } from 'react-router';
import { formatAgo, formatDateTime } from '../../ui/format';
import '../../ui/timeline.css';
import { Revealable } from '../privacy/Revealable';
import { describeContactEntry } from './contactHistory';
import type { ContactFamily, ContactNode } from './contactTypes';

function NodeLabel({ node }: { node: ContactNode }) {
  return (
    <span className="contact-node">
      <span className="mono">#{node.id}</span>{' '}
      <span className="contact-precedence">{node.linkPrecedence}</span>{' '}
      {node.email ? <span className="contact-email">{node.email}</span> : null}
      {node.email && node.phoneNumber ? ' · ' : null}
      {node.phoneNumber ? (
        // Masked on the dashboard until revealed (recorded), as records' phones are.
        <span className="contact-phone mono">
          <Revealable field="phone" value={node.phoneNumber} target={{ contactId: node.id }} />
        </span>
      ) : null}
    </span>
  );
}

/** One contact family: the primary with its secondaries as a tree, the golden records beside it, its history. */
export function ContactFamilyCard({ family, now = Date.now() }: { family: ContactFamily; now?: number }) {
  const titleId = `contact-family-${family.primary.id}`;
  return (
    <section className="card contact-family" aria-labelledby={titleId}>
      <h2 id={titleId}>Contact family #{family.primary.id}</h2>
      <ul className="contact-tree" aria-label="Contacts">
        <li>
          <NodeLabel node={family.primary} />
          {family.secondaries.length > 0 ? (
            <ul>
              {family.secondaries.map((s) => (
                <li key={s.id}>
                  <NodeLabel node={s} />
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      </ul>
      <h3>Golden records sharing an email or phone</h3>
      {family.goldenRecords.length === 0 ? (
        <p className="muted">None: no golden record holds these emails or phone numbers.</p>
      ) : (
        <ul className="contact-golden" aria-label="Golden records">
          {family.goldenRecords.map((g) => (
            <li key={`${g.goldenId}-${g.sharedBy}-${g.value}`}>
              <Link to={`/customers/${g.goldenId}`}>Golden record {g.goldenId.slice(0, 8)}</Link> shares the{' '}
              {g.sharedBy} <span className="mono">{g.value}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>History</h3>
      {family.history.length === 0 ? (
        <p className="muted">No history recorded.</p>
      ) : (
        <ol className="timeline" aria-label="History">
          {family.history.map((e) => (
            <li key={e.id} className="timeline-entry">
              <div className="timeline-head">
                <strong>{describeContactEntry(e)}</strong>
                <time dateTime={e.at} title={formatDateTime(e.at)}>
                  {formatDateTime(e.at)} · {formatAgo(e.at, now)}
                </time>
              </div>
              <div className="timeline-meta">
                by <span className="actor">{e.actor}</span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
