import { DomainError } from '../errors/domainError';

/**
 * The versions of the typed API this server speaks. A client says which it speaks (header
 * x-nexus-api-version, or `apiVersion` in the WebSocket's connection params); one that says
 * another is refused with a clear error instead of failing later on a changed procedure. A
 * caller that says nothing (curl, an older client) is served as version 1.
 */
export const SUPPORTED_API_VERSIONS: readonly string[] = ['1'];

export const API_VERSION_HEADER = 'x-nexus-api-version';

/** The version a request names, from its header or its WebSocket connection params. */
export function apiVersionOf(
  headers: Record<string, string | string[] | undefined>,
  connectionParams: Record<string, string | undefined> | null | undefined,
): string | undefined {
  const header = headers[API_VERSION_HEADER];
  const value = typeof header === 'string' ? header : connectionParams?.apiVersion;
  return typeof value === 'string' ? value.trim().slice(0, 20) : undefined;
}

export function checkApiVersion(version: string | undefined): void {
  if (version === undefined || SUPPORTED_API_VERSIONS.includes(version)) return;
  throw new DomainError(
    'CLIENT.VERSION_UNSUPPORTED',
    `this client speaks API version ${JSON.stringify(version)}; this server speaks ${SUPPORTED_API_VERSIONS.join(', ')}: use a @nexus/client release made for it`,
  );
}
