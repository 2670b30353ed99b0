export {
  createNexusClient,
  type NexusClient,
  type NexusClientOptions,
  type NexusTrpcClient,
} from './createNexusClient';
export type { AppRouter } from '../trpc/appRouter';
