/** How calls refused for load (429 Too Many Requests, 503 Service Unavailable) are tried again. */
export interface RetryPolicy {
  /** Attempts after the first (default 5; 0: never retry). */
  retries?: number;
  /** The first backoff when the server names no Retry-After (default 250 ms, doubling). */
  baseDelayMs?: number;
  /** The longest wait between attempts, Retry-After included (default 30 s). */
  maxDelayMs?: number;
  /** Told of each retry before its wait: for logs and metrics. */
  onRetry?: (info: { status: number; attempt: number; delayMs: number; url: string }) => void;
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch that tries a request again when the server refuses it for load, after the server's
 * Retry-After (seconds or an HTTP date) or else a doubling backoff with jitter. Neither status
 * means the call was carried out, so even a mutation is safe to send again. The wait ends at
 * once when the caller's signal aborts.
 */
export function retryingFetch(
  policy: RetryPolicy = {},
  base: Fetch = (i, init) => globalThis.fetch(i, init),
): Fetch {
  const retries = policy.retries ?? 5;
  const baseDelay = policy.baseDelayMs ?? 250;
  const maxDelay = policy.maxDelayMs ?? 30_000;
  return async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      const response = await base(input, init);
      if ((response.status !== 429 && response.status !== 503) || attempt > retries) return response;
      const named = retryAfterMs(response.headers.get('retry-after'));
      const backoff = baseDelay * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      const delayMs = Math.min(maxDelay, named ?? backoff);
      await response.body?.cancel().catch(() => undefined);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      policy.onRetry?.({ status: response.status, attempt, delayMs, url });
      await sleep(delayMs, init?.signal ?? undefined);
    }
  };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
