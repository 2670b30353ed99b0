import type { KeyEncryptionSecret } from '../privacy/startEncryption';
import type { RawRecordMessage, RecordStatus } from '@nexus/schema';
import type { StageTimings } from '../pipeline/stageClock';
import type { Tech5CallReport } from '../tech5/callMetrics';
import type { Tech5ClientOptions } from '../tech5/resilientCaller';
import type { FaceSourcePolicy } from '../faces/faceSourcePolicy';
import type { EnrichmentConfig } from '../enrichment/enrichmentStage';

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
      /** Milliseconds in each pipeline stage the record entered. */
      stages?: StageTimings;
    }
  | {
      result: 'failed';
      offset: number;
      recordId: string;
      error: string;
      retriable: boolean;
      /** A part the pipeline needs is down (Tech5): retried until it is back, never counted. */
      infrastructure?: boolean;
    };

/** Worker thread -> main thread. */
export type WorkerReply =
  | {
      type: 'decided';
      outcomes: RecordOutcome[];
      /** The thread's Tech5 calls since its previous reply (when Tech5 is configured). */
      tech5?: Tech5CallReport;
    }
  | { type: 'pong'; threadId: number; modelVersion: number };

/** What a worker thread needs to set up its long-lived state, once. */
export interface WorkerConfig {
  databaseUrl: string;
  /** Connections in each worker's pool: one per concurrent task plus one. */
  poolSize: number;
  defaultCountry?: string;
  /** Candidate search in Elasticsearch (unset: Postgres blocking keys). */
  search?: { elasticsearchUrl: string; index: string };
  /** Tech5 liveness (T5-LDS) and 1:N search (T5-ABIS); both unset: no biometric stages. */
  tech5LdsUrl?: string;
  tech5AbisUrl?: string;
  /** Timeouts, retries and circuit breaker of the Tech5 clients (defaults otherwise). */
  tech5Client?: Partial<Tech5ClientOptions>;
  /** Tech5 calls of queued records sent ahead, at most this many at once; 0 or unset: none (ADR 0054). */
  tech5Prefetch?: number;
  /** Where face images may be read from (docs/decisions/0024-face-image-policy.md). */
  faces: FaceSourcePolicy;
  /** False: every record in its own transaction, as before the batched path (benchmarks compare both). */
  batchDecisions?: boolean;
  /** The enrichment stage's adapters (unset or none: off; docs/decisions/0041-enrichment-stage.md). */
  enrichment?: EnrichmentConfig;
  /** Key-encryption keys (current first); empty or unset: encryption at rest is off (ADR 0049). */
  encryption?: KeyEncryptionSecret[];
}

export function assertNever(value: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(value)}`);
}
