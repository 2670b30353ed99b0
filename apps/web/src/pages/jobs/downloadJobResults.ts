import type { Session } from '../../api/session';

/**
 * Fetches the job's results CSV with the access token (the route wants a Bearer token, which a
 * plain link cannot carry) and hands it to the browser as a download.
 */
export async function downloadJobResults(session: Session, jobId: string): Promise<void> {
  const res = await fetch(`/api/v1/jobs/${jobId}/results.csv`, {
    headers: { authorization: `Bearer ${await session.accessToken()}` },
  });
  if (!res.ok) {
    let message = `the server answered ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new Error(message);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `job-${jobId}-results.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the blob may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
