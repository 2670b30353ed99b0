import type { appRouter, DomainErrorCode } from './serverTypes.js';

// In the workspace these come from the server's source; the published package has them written
// out structurally instead (scripts/build.ts), with no server code behind them.

/** The Nexus server's API, as a client sees it: procedures, their inputs and their outputs. */
export type AppRouter = typeof appRouter;
/** Every code a Nexus server answers a failure with (its DomainError table), and INTERNAL. */
export type { DomainErrorCode };
/** The shape of a failure as the server formats it. */
export type NexusErrorShape = AppRouter['_def']['_config']['$types']['errorShape'];
