import { threadId, workerData } from 'node:worker_threads';
import { createDb } from '../db/database';
import { loadActiveModel } from '../pipeline/activeModel';
import { decideRecordMessage, type PipelineContext } from '../pipeline/decideRecordMessage';
import { isRetriable } from '../pipeline/errors';
import { assertNever, type RecordOutcome, type WorkerConfig, type WorkerReply, type WorkerTask } from './protocol';

/**
 * A Piscina worker thread. Its long-lived state (a pg pool, the matching model) is set up once
 * when the thread starts; each task decides a micro-batch of one partition's records in offset
 * order and stops at the first failure, so nothing after it is decided out of order.
 */
async function setUp(config: WorkerConfig): Promise<PipelineContext> {
  const db = createDb(config.databaseUrl, {
    maxConnections: config.poolSize,
    applicationName: `nexus-worker-${threadId}`,
  });
  const model = await loadActiveModel(db);
  return { db, model, defaultCountry: config.defaultCountry };
}

async function decide(ctx: PipelineContext, task: Extract<WorkerTask, { type: 'decide' }>): Promise<WorkerReply> {
  const outcomes: RecordOutcome[] = [];
  for (const { offset, value } of task.messages) {
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
      });
      break;
    }
  }
  return { type: 'decided', outcomes };
}

export default (async () => {
  const ctx = await setUp(workerData as WorkerConfig);
  return async (task: WorkerTask): Promise<WorkerReply> => {
    switch (task.type) {
      case 'decide':
        return decide(ctx, task);
      case 'ping':
        return { type: 'pong', threadId, modelVersion: ctx.model.version };
      default:
        return assertNever(task);
    }
  };
})();
