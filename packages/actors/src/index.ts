export * from './db/database';
export * from './bus/recordBus';
export * from './bus/postgresBus';
export * from './actor/partitionActor';
export * from './actor/supervision';
export * from './actor/deadLetters';
export * from './worker/protocol';
export * from './pipeline/activeModel';
export * from './pipeline/audit';
export { blockingKeyLockIds } from './pipeline/advisoryLocks';
export * from './pipeline/goldenRecords';
export * from './pipeline/survivorship';
export { NonRetriableError } from './pipeline/errors';
export * from './matching';

/** The Piscina worker entry (a .mjs shim that loads the TypeScript worker). */
export const RECORD_WORKER_FILE = new URL('./worker/entry.mjs', import.meta.url).href;
