import type { ReactNode } from 'react';
import { TRPCClientError } from '@trpc/client';
import { messageOf } from './format';

/** What to show while nothing has arrived yet: grey bars of the size the content will take, so nothing jumps. */
export function Skeleton({ rows = 3, height = '1.25rem' }: { rows?: number; height?: string }) {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-bar" style={{ height }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-hint">{children}</div> : null}
    </div>
  );
}

const ADVICE: Record<string, string> = {
  UNAUTHORIZED: 'Your session may have ended: sign in again.',
  FORBIDDEN: 'Your role does not allow this: ask an admin.',
  NOT_FOUND: 'It may have been removed, or the link is wrong.',
  TOO_MANY_REQUESTS: 'Wait a few seconds and try again.',
  CONFLICT: 'Someone else changed it first: reload to see the latest.',
};

/** What the user can do about an error, by its kind. */
export function adviceFor(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; httpStatus?: number } | undefined;
    const advice = data?.code ? ADVICE[data.code] : undefined;
    if (advice) return advice;
    if ((data?.httpStatus ?? 0) >= 500 || !data)
      return 'The server could not answer: try again; if it persists, check /health.';
  }
  return 'Try again.';
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <strong>{messageOf(error)}</strong> <span>{adviceFor(error)}</span>
      {onRetry ? (
        <button type="button" className="button-link" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  );
}
