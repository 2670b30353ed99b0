import type { LiveStatus } from '../api/useLive';
import './liveBadge.css';

/** Whether what the page shows is following the engine right now. */
export function LiveBadge({ status, idle = false }: { status: LiveStatus; idle?: boolean }) {
  const text = idle
    ? 'Finished'
    : status === 'live'
      ? 'Live'
      : status === 'error'
        ? 'Live updates lost'
        : 'Connecting…';
  return (
    <span className={`live-badge live-${idle ? 'idle' : status}`} role="status" aria-live="polite">
      {text}
    </span>
  );
}
