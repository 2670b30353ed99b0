import type { Api } from '../../api/client';

export type UserView = Awaited<ReturnType<Api['users']['list']['query']>>[number];
export type NewUserInput = Parameters<Api['users']['add']['mutate']>[0];
export type AddedUser = Awaited<ReturnType<Api['users']['add']['mutate']>>;
export type Role = UserView['role'];
export type ApiKeyView = Awaited<ReturnType<Api['users']['apiKeys']['query']>>[number];

export const ROLES: ReadonlyArray<{ role: Role; does: string }> = [
  { role: 'reviewer', does: 'decides review cases, searches, splits and merges customers' },
  { role: 'operator', does: 'runs the engine: batches, dead letters, and what a reviewer does' },
  { role: 'ingest', does: 'submits batches and records (usually a service account)' },
  { role: 'admin', does: 'everything, and manages users' },
];

/** The server's rule, shown before submitting. */
export const MIN_PASSWORD = 8;
