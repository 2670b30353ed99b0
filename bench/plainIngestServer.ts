import type { Db, RecordBus } from '@nexus/actors';
import { streamRecordInput } from '@nexus/schema';
import { streamRecord } from '../apps/server/src/ingest/streamRecord';
import { startPlainServer, type PlainServer } from './plainServer';

/**
 * The floor bench:api compares the API with: path B's validation and bus hand-off (the service the
 * REST route and the tRPC procedure call) behind a bare Node handler, so that what the API costs
 * above it is its own layers: routing, auth, rate limit, request id, log line, tRPC.
 */
export function startPlainIngestServer(db: Db, bus: RecordBus): Promise<PlainServer> {
  return startPlainServer(async (body) => {
    const input = streamRecordInput.safeParse(body);
    if (!input.success) return { status: 400, body: { error: input.error.issues } };
    const receipt = await streamRecord(db, bus, input.data, null);
    return { status: 202, body: { recordId: receipt.recordId } };
  });
}
