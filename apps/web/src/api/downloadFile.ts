import type { Session } from './session';

/**
 * Fetches a file from the API with the access token (its routes want a Bearer token, which a
 * plain link cannot carry) and hands it to the browser as a download named `fileName`. A refusal
 * throws the server's own message when it sent one.
 */
export async function downloadFile(session: Session, path: string, fileName: string): Promise<void> {
  const res = await fetch(path, {
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
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the blob may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
