import type { Principal } from '../auth/roles';
import type { ServerDeps } from '../trpc/context';
import { submitBatch, type BatchReceipt, type BatchSubmission } from './submitBatch';

/**
 * Path A as the API offers it (tRPC and REST): the batch stored in one transaction, then
 * announced, so the relay publishes it now rather than at its next tick.
 */
export async function acceptBatch(
  deps: Pick<ServerDeps, 'db' | 'engine'>,
  input: Omit<BatchSubmission, 'submitter'>,
  submitter: Principal,
): Promise<BatchReceipt> {
  const receipt = await submitBatch(deps.db, deps.engine.bus.partitions, { ...input, submitter });
  deps.engine.changes.announce('records_stored');
  return receipt;
}
