import { formatAgo, formatCount, formatDateTime } from '../../ui/format';
import type { Customer } from './customerTypes';
import { labelledValues } from './people';
import { Revealable } from '../privacy/Revealable';

/** The survivorship result: the one value per field the customer is known by. */
export function BestValuesCard({ customer, now = Date.now() }: { customer: Customer; now?: number }) {
  const values = labelledValues(customer.best);
  return (
    <section className="card best-values" aria-labelledby="best-values-title">
      <h2 id="best-values-title">Best values</h2>
      {values.length === 0 ? (
        <p className="muted">No values yet.</p>
      ) : (
        <dl className="value-list">
          {values.map((v) => (
            <div key={v.key}>
              <dt>{v.label}</dt>
              <dd>
                <Revealable field={v.key} value={v.value} target={{ customerId: customer.id }} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      <dl className="golden-facts">
        <div>
          <dt>Members</dt>
          <dd>{formatCount(customer.memberCount)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd title={formatDateTime(customer.createdAt)}>{formatAgo(customer.createdAt, now)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd title={formatDateTime(customer.updatedAt)}>{formatAgo(customer.updatedAt, now)}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{formatCount(customer.version)}</dd>
        </div>
      </dl>
    </section>
  );
}
