/**
 * Training and the held-back check on a thread of their own (docs/decisions/0057-rldata-dates-and-housemates-without-a-date.md):
 * EM and the check are seconds of pure computation, and on the server's main thread they held up
 * every HTTP request, WebSocket and Kafka heartbeat meanwhile. One thread per retraining, ended
 * after it: retrainings are rare (the register doubles between two), so starting a thread costs
 * nothing that matters, and the record workers' pool keeps deciding records undisturbed.
 */
import { Worker } from 'node:worker_threads';
import type { DecisionPolicy } from '../decide';
import type { MatchModel } from '../model';
import type { HeldBackCase, HeldBackVerdict } from './heldBackCheck';
import type { TrainingData, TrainingOptions, TrainingResult } from './trainModel';

/** A .mjs shim that registers the TypeScript loader in the new thread, then loads trainingWorker.ts. */
const ENTRY = new URL('./trainingWorkerEntry.mjs', import.meta.url);

export type TrainingTask =
  | {
      kind: 'train';
      start: MatchModel;
      data: TrainingData;
      options: Partial<TrainingOptions> & { version: string };
    }
  | {
      kind: 'check';
      candidate: MatchModel;
      active: MatchModel;
      policy: DecisionPolicy;
      cases: readonly HeldBackCase[];
    };

/** Where and when a task computed: the thread's id, and its start and end (ms since the epoch). */
export interface ThreadSpan {
  threadId: number;
  startedAt: number;
  finishedAt: number;
}

export type TrainingReply =
  | { id: number; ok: true; value: TrainingResult | HeldBackVerdict; span: ThreadSpan }
  | { id: number; ok: false; error: string; span: ThreadSpan };

export class TrainingThread {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (reply: TrainingReply) => void; reject: (error: Error) => void }
  >();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: TrainingReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`the training thread exited (code ${code})`)));
  }

  static start(): TrainingThread {
    return new TrainingThread(new Worker(ENTRY));
  }

  async train(
    start: MatchModel,
    data: TrainingData,
    options: Partial<TrainingOptions> & { version: string },
  ): Promise<{ result: TrainingResult; span: ThreadSpan }> {
    const { value, span } = await this.run({ kind: 'train', start, data, options });
    return { result: value as TrainingResult, span };
  }

  async check(
    candidate: MatchModel,
    active: MatchModel,
    policy: DecisionPolicy,
    cases: readonly HeldBackCase[],
  ): Promise<{ verdict: HeldBackVerdict; span: ThreadSpan }> {
    const { value, span } = await this.run({ kind: 'check', candidate, active, policy, cases });
    return { verdict: value as HeldBackVerdict, span };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private async run(
    task: TrainingTask,
  ): Promise<{ value: TrainingResult | HeldBackVerdict; span: ThreadSpan }> {
    const id = this.nextId++;
    const reply = await new Promise<TrainingReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, task });
    });
    if (!reply.ok) throw new Error(`training thread: ${reply.error}`);
    return { value: reply.value, span: reply.span };
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
