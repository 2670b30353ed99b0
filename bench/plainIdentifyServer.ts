import type { Db } from '@nexus/actors';
import { identifyInput } from '@nexus/schema';
import { contactRequest } from '../apps/server/src/identify/contactValues';
import { identifyContact } from '../apps/server/src/identify/identifyContact';
import { startPlainServer, type PlainServer } from './plainServer';

/**
 * The ceiling bench:identify compares the API with: the same validation and the same
 * reconciliation transaction behind a bare Node handler (no auth, routing, rate limit, request id,
 * log line, metrics), on a pool of its own as large as the server's.
 */
export function startPlainIdentifyServer(db: Db): Promise<PlainServer> {
  return startPlainServer(async (body) => {
    const input = identifyInput.safeParse(body);
    if (!input.success) return { status: 400, body: { error: input.error.issues } };
    const result = await identifyContact(db, contactRequest(input.data, undefined), 'bench');
    return { status: 200, body: { contact: result.contact } };
  });
}
