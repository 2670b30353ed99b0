import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi, useConnection } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { appendEvent, HISTORY_SECONDS } from './liveHistory';
import type { EngineEvent, FeedStatus, ThroughputEvent } from './overviewTypes';
import { OverviewView } from './OverviewView';

/**
 * Follows the two operator feeds (per-second throughput, engine state) over the WebSocket; no
 * polling. The WS link resumes both from their last event after a reconnect or a server restart.
 */
export function OverviewPage() {
  const api = useApi();
  const connection = useConnection();
  const [history, setHistory] = useState<ThroughputEvent[]>([]);
  const [engine, setEngine] = useState<EngineEvent | null>(null);
  const pending = useRef<ThroughputEvent[]>([]);
  const frame = useRef<number | null>(null);

  // On open the server replays up to 300 samples, one WebSocket message each: rendering once per
  // frame, not once per message, keeps that replay (and any burst after a reconnect) cheap.
  const onThroughput = useCallback((event: ThroughputEvent) => {
    pending.current.push(event);
    if (pending.current.length > HISTORY_SECONDS) pending.current.shift();
    frame.current ??= requestAnimationFrame(() => {
      frame.current = null;
      const events = pending.current;
      pending.current = [];
      setHistory((h) => events.reduce(appendEvent, h));
    });
  }, []);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const throughput = useLive<ThroughputEvent>(
    'overview-throughput',
    (handlers) =>
      // Event ids are the server's milliseconds since the epoch: asking for what came after
      // "five minutes ago" replays the ring's recent samples, so a reload opens on full charts.
      api.live.throughput.subscribe({ lastEventId: String(Date.now() - HISTORY_SECONDS * 1000) }, handlers),
    onThroughput,
  );
  const engineFeed = useLive<EngineEvent>(
    'overview-engine',
    (handlers) => api.live.engine.subscribe(undefined, handlers),
    setEngine,
  );

  const samples = useMemo(() => history.map((e) => e.data), [history]);
  const error = throughput.error ?? engineFeed.error;
  const status: FeedStatus =
    connection === 'closed' || throughput.status === 'error' || engineFeed.status === 'error'
      ? 'reconnecting'
      : history.length === 0 && engine === null
        ? 'connecting'
        : 'live';
  return <OverviewView samples={samples} engine={engine?.data ?? null} status={status} error={error} />;
}
