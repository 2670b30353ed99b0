import { formatDateTime, formatDecimal } from '../../ui/format';
import type { Member } from './customerTypes';
import { personName, valueText } from './people';

/** Primary member first, then by when they joined. */
export const membersInOrder = (members: readonly Member[]): Member[] =>
  [...members].sort(
    (a, b) =>
      Number(b.precedence === 'primary') - Number(a.precedence === 'primary') ||
      a.linkedAt.localeCompare(b.linkedAt),
  );

export function MembersTable({
  members,
  onSplit,
}: {
  members: Member[];
  /** Absent: splitting is not offered (a merged customer). */
  onSplit?: (member: Member) => void;
}) {
  const lone = members.length < 2;
  return (
    <div className="table-wrap">
      <table aria-label="Members">
        <thead>
          <tr>
            <th>Record</th>
            <th>Source</th>
            <th>External id</th>
            <th>Linked</th>
            <th>Decision</th>
            <th className="num">Score</th>
            {onSplit ? <th aria-label="Actions" /> : null}
          </tr>
        </thead>
        <tbody>
          {membersInOrder(members).map((m) => (
            <tr key={m.recordId}>
              <td>
                {personName(m.payload)}{' '}
                {m.precedence === 'primary' ? <span className="badge badge-primary">primary</span> : null}
                <div>
                  <small>{valueText(m.payload.date_of_birth)}</small>
                </div>
              </td>
              <td>{m.source}</td>
              <td>
                <code>{m.externalId}</code>
              </td>
              <td>{formatDateTime(m.linkedAt)}</td>
              <td>
                <span className={`badge decision-${m.status}`}>{m.status}</span>
              </td>
              <td className="num">{m.linkScore === null ? '–' : formatDecimal(m.linkScore)}</td>
              {onSplit ? (
                <td className="row-actions">
                  <button
                    type="button"
                    disabled={lone}
                    title={lone ? 'The only member cannot be split out' : undefined}
                    aria-label={`Split out ${m.source} ${m.externalId}`}
                    onClick={() => onSplit(m)}
                  >
                    Split out
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
