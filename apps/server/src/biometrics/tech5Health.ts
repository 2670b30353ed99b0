export interface PartHealth {
  ok: boolean;
  detail?: string;
}

/**
 * Is Tech5 answering? A GET on each service's base URL: any HTTP answer below 500 means the
 * service is up (a real T5-LDS/ABIS has no agreed health path, so a 404 still proves it listens);
 * a refused connection, a timeout or a 5xx is down, and records then wait in their partitions.
 */
export async function probeTech5(urls: { lds: string; abis: string }, timeoutMs = 2000): Promise<PartHealth> {
  const probe = async (name: string, url: string): Promise<string | null> => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      return res.status >= 500 ? `${name} answered ${res.status}` : null;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return `${name} unreachable (${cause ?? (error instanceof Error ? error.name : String(error))})`;
    }
  };
  const failures = (await Promise.all([probe('liveness', urls.lds), probe('ABIS', urls.abis)])).filter(
    (f): f is string => f !== null,
  );
  return failures.length
    ? { ok: false, detail: failures.join('; ') }
    : { ok: true, detail: 'liveness and ABIS answering' };
}
