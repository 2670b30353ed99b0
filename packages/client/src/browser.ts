// The entry for browsers (and bundlers targeting them): the WebSocket is the browser's own.
export {
  createNexusClient,
  type NexusClient,
  type NexusClientOptions,
  type NexusTrpcClient,
} from './createNexusClient.js';
export type { AppRouter, DomainErrorCode, NexusErrorShape } from './appRouter.js';
export type { BatchCounts, BatchReceipt, BatchView, NexusRecord } from './batchTypes.js';
export type { NexusAuth, TokenPair } from './credentials.js';
export {
  isNexusError,
  NexusError,
  type ClientErrorCode,
  type NexusErrorCode,
  type NexusFieldError,
} from './errors.js';
export { retryAfterMs, type RetryPolicy } from './retryingFetch.js';
export { csvRecords } from './csvRecords.js';
export {
  MAX_BATCH_RECORDS,
  submitRecords,
  type SubmitOptions,
  type SubmitProgress,
  type SubmitSummary,
} from './submitRecords.js';
export { waitForBatches, type WaitOptions, type WaitProgress } from './waitForBatches.js';
export { API_VERSION_HEADER, NEXUS_API_VERSION } from './version.js';
