import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026_11_23_0001_initial';

/** Every migration, in order. Listed statically so that bundled and tsx builds find the same set. */
const migrations: Record<string, Migration> = {
  '2026_11_23_0001_initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
