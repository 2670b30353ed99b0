import { threadId, workerData } from 'node:worker_threads';
import { createDb } from '../db/database';
import { startEncryption } from '../privacy/startEncryption';
import { activeModelVersion, loadActiveModel } from '../pipeline/activeModel';
import { batchable, decideRecordBatch } from '../pipeline/batch/decideRecordBatch';
import { decideRecordMessage, type PipelineContext } from '../pipeline/decideRecordMessage';
import { isInfrastructureError, isRetriable } from '../pipeline/errors';
import { supportsBatchFaces } from '../pipeline/biometricStages';
import { PrefetchingBiometrics } from '../pipeline/prefetchingBiometrics';
import { Tech5Biometrics } from '../pipeline/tech5Biometrics';
import { createEnricher } from '../enrichment/enrichmentStage';
import { createSearchClient } from '../search/elasticsearchClient';
import { ElasticsearchCandidateSearch } from '../search/elasticsearchSearch';
import {
  assertNever,
  type RecordOutcome,
  type WorkerConfig,
  type WorkerReply,
  type WorkerTask,
} from './protocol';

/**
 * A Piscina worker thread. Its long-lived state (a pg pool, the matching model) is set up once
 * when the thread starts; each task decides a micro-batch of one partition's records in offset
 * order and stops at the first failure, so nothing after it is decided out of order. Runs of
 * records are decided together in one transaction (pipeline/batch/), with those carrying a face
 * when Tech5 calls may run concurrently (NEXUS_TECH5_PREFETCH > 0, ADR 0055); the others, and a
 * run whose batch failed, one at a time.
 *
 * The model follows the active version (`nexus train --activate`): at most every
 * MODEL_CHECK_MS a task asks which version is active and loads it if it changed. Each task
 * decides its whole micro-batch with the model it started with, and every decision records it.
 */
const MODEL_CHECK_MS = 5_000;

class ModelFollower {
  private checkedAt = performance.now();
  private checking: Promise<void> | undefined;

  constructor(public ctx: PipelineContext) {}

  async current(): Promise<PipelineContext> {
    if (this.checking === undefined && performance.now() - this.checkedAt >= MODEL_CHECK_MS) {
      this.checkedAt = performance.now();
      this.checking = this.refresh().finally(() => (this.checking = undefined));
    }
    await this.checking;
    return this.ctx;
  }

  private async refresh(): Promise<void> {
    try {
      const active = await activeModelVersion(this.ctx.db);
      if (active !== undefined && active !== this.ctx.model.version) {
        this.ctx = { ...this.ctx, model: await loadActiveModel(this.ctx.db) };
      }
    } catch {
      // The database is unreachable: keep deciding with the model in hand; the next task's
      // own queries will fail and be retried as usual.
    }
  }
}

async function setUp(config: WorkerConfig): Promise<PipelineContext> {
  const db = createDb(config.databaseUrl, {
    maxConnections: config.poolSize,
    applicationName: `nexus-worker-${threadId}`,
  });
  // Each thread holds its own keys: it seals what it writes and opens what it reads (ADR 0049).
  await startEncryption(db, config.encryption ?? []);
  const model = await loadActiveModel(db);
  const candidates = config.search
    ? new ElasticsearchCandidateSearch(
        createSearchClient(config.search.elasticsearchUrl),
        config.search.index,
      )
    : undefined;
  const biometrics =
    config.tech5LdsUrl && config.tech5AbisUrl
      ? new Tech5Biometrics({
          ldsUrl: config.tech5LdsUrl,
          abisUrl: config.tech5AbisUrl,
          client: config.tech5Client,
          faces: config.faces,
        })
      : undefined;
  const enrichment = createEnricher(config.enrichment, { defaultCountry: config.defaultCountry });
  return { db, model, defaultCountry: config.defaultCountry, candidates, biometrics, enrichment };
}

async function decide(
  ctx: PipelineContext,
  task: Extract<WorkerTask, { type: 'decide' }>,
  batched: boolean,
  prefetch: number,
): Promise<WorkerReply> {
  const tech5 = ctx.biometrics instanceof Tech5Biometrics ? ctx.biometrics : undefined;
  if (!ctx.biometrics || prefetch === 0) return decideInOrder(ctx, task, batched, tech5);
  // Records with a face in the micro-batches, their Tech5 calls in waves (ADR 0055).
  if (batched && !ctx.candidates && supportsBatchFaces(ctx.biometrics))
    return decideInOrder({ ...ctx, faceBatch: { concurrency: prefetch } }, task, batched, tech5);
  // The task's liveness checks and 1:N searches run ahead of its decisions (ADR 0054).
  const ahead = new PrefetchingBiometrics(ctx.biometrics, ctx.db, prefetch);
  try {
    await ahead.prefetch(task.messages.map((m) => m.value));
    return await decideInOrder({ ...ctx, biometrics: ahead }, task, batched, tech5);
  } finally {
    ahead.close();
  }
}

async function decideInOrder(
  ctx: PipelineContext,
  task: Extract<WorkerTask, { type: 'decide' }>,
  batched: boolean,
  tech5: Tech5Biometrics | undefined,
): Promise<WorkerReply> {
  const outcomes: RecordOutcome[] = [];
  const { messages } = task;
  let next = 0;
  while (next < messages.length) {
    // A run of records the batched path takes (no face, Postgres candidates), in offset order.
    let end = next;
    for (let m = messages[end]; batched && m !== undefined && batchable(ctx, m.value); m = messages[++end]);
    if (end - next > 1) {
      const run = messages.slice(next, end);
      const started = performance.now();
      try {
        const decided = await decideRecordBatch(
          ctx,
          task.partition,
          run.map((m) => m.value),
        );
        const ms = performance.now() - started;
        // A miscount is a bug: the records go one at a time below (idempotent on the record id).
        if (decided.length !== run.length)
          throw new Error(`the batch answered ${decided.length} records for ${run.length}`);
        for (const [i, d] of decided.entries()) {
          const message = run[i];
          if (!message) break;
          outcomes.push({ result: 'decided', offset: message.offset, ...d, ms });
        }
        next = end;
        continue;
      } catch {
        // Nothing of the batch was written: decide its records one at a time below, where a
        // failure is the record's own and supervision sees exactly which one.
      }
    }
    end = Math.max(end, next + 1);
    for (; next < end; next++) {
      const message = messages[next];
      if (!message) break;
      const { offset, value } = message;
      const started = performance.now();
      try {
        const decided = await decideRecordMessage(ctx, task.partition, value);
        outcomes.push({ result: 'decided', offset, ...decided, ms: performance.now() - started });
      } catch (error) {
        outcomes.push({
          result: 'failed',
          offset,
          recordId: value.recordId,
          error: error instanceof Error ? error.message : String(error),
          retriable: isRetriable(error),
          infrastructure: isInfrastructureError(error),
        });
        return reply(outcomes, tech5);
      }
    }
  }
  return reply(outcomes, tech5);
}

function reply(outcomes: RecordOutcome[], tech5: Tech5Biometrics | undefined): WorkerReply {
  return { type: 'decided', outcomes, ...(tech5 ? { tech5: tech5.takeCallReport() } : {}) };
}

export default (async () => {
  const config = workerData as WorkerConfig;
  const follower = new ModelFollower(await setUp(config));
  return async (task: WorkerTask): Promise<WorkerReply> => {
    const ctx = await follower.current();
    switch (task.type) {
      case 'decide':
        return decide(ctx, task, config.batchDecisions !== false, config.tech5Prefetch ?? 0);
      case 'ping':
        return { type: 'pong', threadId, modelVersion: ctx.model.version };
      default:
        return assertNever(task);
    }
  };
})();
