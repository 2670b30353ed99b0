import { useEffect, useId, useState } from 'react';
import { ENTITY_TYPES, KNOWN_ACTIONS, NO_FILTERS, type AuditFilters } from './auditFilters';

/** The filters as a form: applied on submit (Enter), so typing does not fire a query per key. */
export function AuditFilterBar({
  value,
  onApply,
}: {
  value: AuditFilters;
  onApply: (f: AuditFilters) => void;
}) {
  const [draft, setDraft] = useState(value);
  const id = useId();
  useEffect(() => setDraft(value), [value]);
  const set = (key: keyof AuditFilters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const active = Object.values(value).some((v) => v !== '');
  return (
    <form
      className="filters audit-filters"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <label className="field">
        <span>Entity</span>
        <select
          value={draft.entityType}
          onChange={(e) => {
            // A select has no Enter to press: it applies at once.
            const next = { ...draft, entityType: e.target.value };
            setDraft(next);
            onApply(next);
          }}
        >
          <option value="">All entities</option>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {t.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Action</span>
        <input
          list={`${id}-actions`}
          value={draft.action}
          onChange={set('action')}
          placeholder="e.g. golden_record."
        />
        <datalist id={`${id}-actions`}>
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>Actor</span>
        <input value={draft.actor} onChange={set('actor')} placeholder="username or engine" />
      </label>
      <label className="field">
        <span>From</span>
        <input type="datetime-local" value={draft.since} onChange={set('since')} />
      </label>
      <label className="field">
        <span>Until</span>
        <input type="datetime-local" value={draft.until} onChange={set('until')} />
      </label>
      <button type="submit" className="primary">
        Apply
      </button>
      {active ? (
        <button type="button" onClick={() => onApply(NO_FILTERS)}>
          Clear
        </button>
      ) : null}
    </form>
  );
}
