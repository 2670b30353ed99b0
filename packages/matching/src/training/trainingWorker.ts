/** The training thread's side (trainingThread.ts): one task at a time, computed and answered. */
import { parentPort, threadId } from 'node:worker_threads';
import { heldBackCheck } from './heldBackCheck';
import { trainModel } from './trainModel';
import type { TrainingReply, TrainingTask } from './trainingThread';

const now = () => performance.timeOrigin + performance.now();

parentPort?.on('message', ({ id, task }: { id: number; task: TrainingTask }) => {
  const startedAt = now();
  let reply: TrainingReply;
  try {
    const value =
      task.kind === 'train'
        ? trainModel(task.start, task.data, task.options)
        : heldBackCheck(task.candidate, task.active, task.policy, task.cases);
    reply = { id, ok: true, value, span: { threadId, startedAt, finishedAt: now() } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply = { id, ok: false, error: message, span: { threadId, startedAt, finishedAt: now() } };
  }
  parentPort?.postMessage(reply);
});
