import { useState, type ReactNode } from 'react';
import type { LiveStatus } from '../../api/useLive';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { formatCount, formatDateTime } from '../../ui/format';
import { ErrorNotice, PageHeader, Skeleton } from '../../ui/states';
import { BatchProgress } from './BatchProgress';
import type { Batch, BatchReceipt } from './batchTypes';
import { StatusBadge } from './BatchesView';
import { DECISIONS, isRunning } from './decisions';
import { LiveBadge } from '../../ui/LiveBadge';

export interface ActionNotice {
  tone: 'ok' | 'error';
  text: string;
}

function ReceiptNotice({ receipt }: { receipt: BatchReceipt }) {
  const parts = [`${formatCount(receipt.accepted)} accepted`];
  if (receipt.duplicates.length > 0)
    parts.push(`${formatCount(receipt.duplicates.length)} already known (decided once)`);
  if (receipt.rejected.length > 0) parts.push(`${formatCount(receipt.rejected.length)} refused`);
  return (
    <p className="notice notice-ok" role="status">
      <strong>Batch submitted:</strong> <span>{parts.join(', ')}.</span>
    </p>
  );
}

/** One batch: where it stands (live), what can be done with it, and its records. */
export function BatchDetailView({
  batch,
  error,
  onRetry,
  liveStatus,
  receipt,
  canRetryFailed,
  busy,
  notice,
  onCancel,
  onRetryFailed,
  onDownload,
  children,
}: {
  batch: Batch | undefined;
  error: unknown;
  onRetry: () => void;
  liveStatus: LiveStatus;
  receipt: BatchReceipt | null;
  canRetryFailed: boolean;
  busy: 'cancel' | 'retry' | 'download' | null;
  notice: ActionNotice | null;
  onCancel: () => Promise<void>;
  onRetryFailed: () => void;
  onDownload: () => void;
  children?: ReactNode;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!batch) {
    return (
      <>
        <PageHeader title="Batch" />
        {error ? <ErrorNotice error={error} onRetry={onRetry} /> : <Skeleton rows={6} height="2rem" />}
      </>
    );
  }
  const running = isRunning(batch.status);
  const c = batch.counts;
  return (
    <div className="batch-detail">
      <PageHeader title={batch.source}>
        <LiveBadge status={liveStatus} idle={!running} />
        <button type="button" onClick={onDownload} disabled={busy === 'download'}>
          {busy === 'download' ? 'Preparing…' : 'Download results (CSV)'}
        </button>
        {canRetryFailed ? (
          <button
            type="button"
            onClick={onRetryFailed}
            disabled={c.dead_lettered === 0 || busy !== null || batch.status === 'cancelled'}
          >
            Retry failed{c.dead_lettered > 0 ? ` (${formatCount(c.dead_lettered)})` : ''}
          </button>
        ) : null}
        {running ? (
          <button
            type="button"
            className="danger"
            onClick={() => setConfirming(true)}
            disabled={busy !== null}
          >
            Cancel batch
          </button>
        ) : null}
      </PageHeader>
      {receipt ? <ReceiptNotice receipt={receipt} /> : null}
      {notice ? (
        <p className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      ) : null}
      <section className="card batch-summary" aria-label="Batch summary">
        <dl className="batch-facts">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={batch.status} />
            </dd>
          </div>
          <div>
            <dt>Submitted</dt>
            <dd>
              {formatDateTime(batch.createdAt)}
              {batch.submittedBy ? <span className="muted"> by {batch.submittedBy}</span> : null}
            </dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{batch.completedAt && !running ? formatDateTime(batch.completedAt) : '—'}</dd>
          </div>
          <div>
            <dt>Batch id</dt>
            <dd className="mono">{batch.id}</dd>
          </div>
        </dl>
        <BatchProgress counts={c} label="Batch progress" />
        <ul className="stat-strip" aria-label="Records by decision">
          <li>
            <span className="stat-label">Records</span>
            <span className="stat-value">{formatCount(c.records)}</span>
          </li>
          {DECISIONS.filter((d) => d.key !== 'cancelled' || c.cancelled > 0).map((d) => (
            <li key={d.key}>
              <span className="stat-label">
                <span className={`dot ${d.tone}`} aria-hidden="true" /> {d.label}
              </span>
              <span className="stat-value" data-decision={d.key}>
                {formatCount(c[d.key])}
              </span>
            </li>
          ))}
        </ul>
      </section>
      {children}
      <ConfirmDialog
        open={confirming}
        title="Cancel this batch?"
        confirmLabel="Cancel batch"
        danger
        busy={busy === 'cancel'}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          // The container reports failures as a notice: the dialog only has to close.
          void onCancel().finally(() => setConfirming(false));
        }}
      >
        <p>
          The {formatCount(c.pending)} records not yet decided will not be decided. The{' '}
          {formatCount(c.records - c.pending)} already decided stay as they are. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
