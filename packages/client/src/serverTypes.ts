// The server's types, read from its source inside the workspace only; the build writes them out
// structurally (scripts/routerTypes.ts), so the published package carries no server code.
export type { appRouter } from '../../../apps/server/src/trpc/appRouter';
export type { DomainErrorCode } from '../../../apps/server/src/errors/domainError';
