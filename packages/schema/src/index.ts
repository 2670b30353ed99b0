export * from './canonicalRecord';
export * from './tables';
export * from './busMessages';
export { migrationProvider } from './migrations/index';
export * from './abis';
export * from './liveness';
export * from './events';
export * from './searchTables';
export * from './apiInputs';
