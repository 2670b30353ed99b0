import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { messageOf } from '../../ui/format';
import { PageHeader } from '../../ui/states';
import { BestValuesCard } from './BestValuesCard';
import { BiometricCard } from './BiometricCard';
import type { Customer, Member } from './customerTypes';
import { HistoryTimeline } from './HistoryTimeline';
import { MembersTable } from './MembersTable';
import { personName, shortId } from './people';

export interface SplitOutcome {
  member: string;
  newCustomerId: string;
}

/** A golden record: best values, members (each may be split out), faces, and its history. */
export function GoldenRecordView({
  customer,
  lastSplit,
  liveStatus,
  onSplit,
  onMerge,
  onErase,
  now = Date.now(),
}: {
  customer: Customer;
  lastSplit: SplitOutcome | null;
  liveStatus: 'connecting' | 'live' | 'error';
  /** Resolves once the member is out; rejects with what went wrong (shown in the dialog). */
  onSplit: (recordId: string, reason: string) => Promise<void>;
  onMerge: () => void;
  /** Admins only: opens the erasure dialog (absent for other roles). */
  onErase?: () => void;
  now?: number;
}) {
  const [splitting, setSplitting] = useState<Member | null>(null);
  const [busy, setBusy] = useState(false);
  const [splitError, setSplitError] = useState<string | null>(null);
  const active = customer.status === 'active';
  const name = personName(customer.best);

  const confirmSplit = async (reason: string) => {
    if (!splitting) return;
    setBusy(true);
    setSplitError(null);
    try {
      await onSplit(splitting.recordId, reason);
      setSplitting(null);
    } catch (e) {
      setSplitError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to="/customers">Customers</Link> / <span>{shortId(customer.id)}</span>
      </nav>
      <PageHeader title={name}>
        <span className={`badge ${active ? 'decision-linked' : 'decision-cancelled'}`}>
          {customer.status}
        </span>
        <span className={`live-dot live-${liveStatus}`} title={`History updates: ${liveStatus}`}>
          {liveStatus === 'live'
            ? 'Live history'
            : liveStatus === 'error'
              ? 'History not live'
              : 'Connecting…'}
        </span>
        {active ? (
          <button type="button" onClick={onMerge}>
            Merge another customer here…
          </button>
        ) : null}
        {active && onErase ? (
          <button type="button" className="danger" onClick={onErase}>
            Erase this person…
          </button>
        ) : null}
      </PageHeader>
      {customer.status === 'erased' ? (
        <div className="notice" role="status">
          This customer was erased: its values are gone; its ids, dates and decisions stay.
        </div>
      ) : null}
      {!active && customer.mergedInto ? (
        <div className="notice" role="status">
          This customer was merged into another one, which holds its members now.{' '}
          <Link to={`/customers/${customer.mergedInto}`}>Open customer {shortId(customer.mergedInto)}</Link>
        </div>
      ) : null}
      {lastSplit ? (
        <div className="notice notice-ok" role="status">
          {lastSplit.member} was split out and is now a customer of its own.{' '}
          <Link to={`/customers/${lastSplit.newCustomerId}`}>
            Open customer {shortId(lastSplit.newCustomerId)}
          </Link>
        </div>
      ) : null}
      <div className="golden-top">
        <BestValuesCard customer={customer} now={now} />
        <BiometricCard references={customer.biometricReferences} members={customer.members} />
      </div>
      <section className="golden-section" aria-labelledby="members-title">
        <h2 id="members-title">
          Members <span className="count">{customer.members.length}</span>
        </h2>
        {customer.members.length === 0 ? (
          <p className="muted">No members: they moved with the merge.</p>
        ) : (
          <MembersTable members={customer.members} onSplit={active ? (m) => setSplitting(m) : undefined} />
        )}
      </section>
      <section className="golden-section" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <HistoryTimeline
          entries={customer.history}
          members={customer.members}
          named={customer.historyRecords}
          now={now}
        />
      </section>
      <ConfirmDialog
        open={splitting !== null}
        title={splitting ? `Split ${splitting.source} ${splitting.externalId} out?` : 'Split out?'}
        confirmLabel="Split out"
        reasonLabel="Why is this a different person? (goes into the audit log)"
        danger
        busy={busy}
        onConfirm={(reason) => void confirmSplit(reason)}
        onCancel={() => {
          setSplitting(null);
          setSplitError(null);
        }}
      >
        <p>
          {splitting ? personName(splitting.payload) : ''} leaves {name} and becomes a customer of its own.
          The best values of both are computed again.
        </p>
        {splitError ? (
          <p className="notice notice-error" role="alert">
            {splitError}
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
