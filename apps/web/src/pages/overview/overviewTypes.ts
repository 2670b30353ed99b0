import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@nexus/server';

type Outputs = inferRouterOutputs<AppRouter>;
type Yielded<T> = T extends AsyncIterable<infer V> ? V : never;

/** The live feeds' own event types: the page follows the server's shapes as they change. */
export type ThroughputEvent = Yielded<Outputs['live']['throughput']>;
export type EngineEvent = Yielded<Outputs['live']['engine']>;
export type ThroughputSample = ThroughputEvent['data'];
export type EngineSample = EngineEvent['data'];
export type PartitionRow = EngineSample['partitions'][number];
export type PipelineStage = keyof ThroughputSample['stages'];
export type Decision = Exclude<keyof ThroughputSample['counts'], 'cancelled'>;

/** What the overview shows of the link to the server. */
export type FeedStatus = 'connecting' | 'live' | 'reconnecting';
