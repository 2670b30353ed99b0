import { useEffect, useRef, useState } from 'react';

interface Unsubscribable {
  unsubscribe(): void;
}

export interface LiveHandlers<T> {
  onData: (value: T) => void;
  onError: (error: unknown) => void;
  onStarted: () => void;
}

export type LiveStatus = 'connecting' | 'live' | 'error';

/**
 * Follows a tRPC subscription while the component is mounted. `open` is called once per `key`;
 * the WebSocket link resumes tracked subscriptions from their last event id after a reconnect.
 */
export function useLive<T>(
  key: string,
  open: (handlers: LiveHandlers<T>) => Unsubscribable,
  onData: (value: T) => void,
): { status: LiveStatus; error: string | null } {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [error, setError] = useState<string | null>(null);
  const latest = useRef({ open, onData });
  latest.current = { open, onData };
  useEffect(() => {
    setStatus('connecting');
    const subscription = latest.current.open({
      onData: (value) => {
        setStatus('live');
        latest.current.onData(value);
      },
      onError: (e) => {
        setStatus('error');
        setError(e instanceof Error ? e.message : String(e));
      },
      onStarted: () => {
        setStatus('live');
        setError(null);
      },
    });
    return () => subscription.unsubscribe();
  }, [key]);
  return { status, error };
}
