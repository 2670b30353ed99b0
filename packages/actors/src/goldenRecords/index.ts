/**
 * Golden records, in one module: every path that founds, links, merges, splits, settles or erases
 * one (the engine, the batched stream path, the dedupe batch job, reviewers, erasure) takes its
 * ids, locks, merged_into walk, survivorship and audit entries from here.
 */
export * from './createAndLink';
export * from './goldenRecordRows';
export * from './goldenTally';
export * from './keyLocks';
export * from './members';
export * from './mergeChains';
export * from './mergeAndSplit';
export * from './survivorship';
export { insertGoldenRecord } from '../pipeline/writeSet';
