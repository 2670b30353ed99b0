/** Postgres codes of a transaction that lost a race and may simply run again. */
const RETRIABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

function isRetriable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRIABLE.has(code);
}

/**
 * Row locks on primaries are taken as families are discovered, so two bridging requests can, rarely,
 * wait on each other; Postgres breaks the cycle by failing one (deadlock_timeout), which runs again.
 */
export async function withContactRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetriable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
