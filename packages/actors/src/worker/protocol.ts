import type { RawRecordMessage, RecordStatus } from '@nexus/schema';

/** Main thread -> worker thread. */
export type WorkerTask =
  | { type: 'decide'; partition: number; messages: Array<{ offset: number; value: RawRecordMessage }> }
  | { type: 'ping' };

export type RecordOutcome =
  | {
      result: 'decided';
      offset: number;
      recordId: string;
      status: RecordStatus;
      goldenId: string | null;
      replayed: boolean;
      ms: number;
    }
  | { result: 'failed'; offset: number; recordId: string; error: string; retriable: boolean };

/** Worker thread -> main thread. */
export type WorkerReply =
  | { type: 'decided'; outcomes: RecordOutcome[] }
  | { type: 'pong'; threadId: number; modelVersion: number };

/** What a worker thread needs to set up its long-lived state, once. */
export interface WorkerConfig {
  databaseUrl: string;
  /** Connections in each worker's pool: one per concurrent task plus one. */
  poolSize: number;
  defaultCountry?: string;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}
