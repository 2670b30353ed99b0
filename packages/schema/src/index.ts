export * from './canonicalRecord';
export * from './tables';
export * from './busMessages';
export { migrationProvider } from './migrations/index';
