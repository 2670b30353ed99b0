// The server's own tests, CLI and benchmarks use the one typed client, @nexus/client.
export {
  createNexusClient,
  type NexusClient,
  type NexusClientOptions,
  type NexusTrpcClient,
} from '@nexus/client';
