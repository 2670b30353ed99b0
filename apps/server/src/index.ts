/** What other packages may import from the server: the AppRouter type (import type only) and the typed client. */
export {
  createNexusClient,
  type NexusClient,
  type NexusClientOptions,
  type NexusTrpcClient,
} from './client/index';
export type { AppRouter } from './trpc/appRouter';
