import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import {
  createJobInput,
  createSourceInput,
  jobIdInput,
  jobRejectionsInput,
  listJobsInput,
  sourceIdInput,
  testSourceInput,
  updateSourceInput,
} from '@nexus/schema';
import { domainErrorsMapped } from '../live/domainErrorsMapped';
import { Waker } from '../live/wake';
import { operatorProcedure } from '../trpc/trpc';
import type { JobView } from './jobStore';

const FINAL = new Set<JobView['status']>(['completed', 'failed', 'cancelled']);

/** A job's state as an event id: a client that saw it is not sent it again. */
const progressId = (v: JobView) =>
  [v.status, ...Object.values(v.counts as unknown as Record<string, number>), v.attempts].join(':');

/** Sources and jobs, for the dashboard; the same services as the REST routes. Operators and admins. */
export const jobsRouter = {
  sources: operatorProcedure.query(({ ctx }) => ctx.deps.jobs.sources.list()),
  source: operatorProcedure
    .input(sourceIdInput)
    .query(({ ctx, input }) => ctx.deps.jobs.sources.get(input.sourceId)),
  createSource: operatorProcedure
    .input(createSourceInput)
    .mutation(({ ctx, input }) => ctx.deps.jobs.sources.create(input, ctx.principal.username)),
  updateSource: operatorProcedure
    .input(updateSourceInput)
    .mutation(({ ctx, input }) => ctx.deps.jobs.sources.update(input)),
  removeSource: operatorProcedure.input(sourceIdInput).mutation(async ({ ctx, input }) => {
    await ctx.deps.jobs.sources.remove(input.sourceId);
    return { deleted: true };
  }),
  /** Test the connection: the first rows as a job would read them; nothing stored. */
  testSource: operatorProcedure
    .input(testSourceInput)
    .mutation(({ ctx, input }) => ctx.deps.jobs.testSource(input)),
  list: operatorProcedure.input(listJobsInput).query(({ ctx, input }) => ctx.deps.jobs.jobs.list(input)),
  get: operatorProcedure.input(jobIdInput).query(({ ctx, input }) => ctx.deps.jobs.jobs.get(input.jobId)),
  runs: operatorProcedure.input(jobIdInput).query(({ ctx, input }) => ctx.deps.jobs.jobs.runs(input.jobId)),
  rejections: operatorProcedure
    .input(jobRejectionsInput)
    .query(({ ctx, input }) => ctx.deps.jobs.jobs.rejections(input.jobId, input.afterLine, input.limit)),
  create: operatorProcedure
    .input(createJobInput)
    .mutation(({ ctx, input }) =>
      ctx.deps.jobs.createJob(input, { username: ctx.principal.username, userId: ctx.principal.userId }),
    ),
  cancel: operatorProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.deps.jobs.cancelJob(input.jobId, ctx.principal.username)),
  retry: operatorProcedure
    .input(jobIdInput)
    .mutation(({ ctx, input }) =>
      ctx.deps.jobs.retryJob(input.jobId, { username: ctx.principal.username, userId: ctx.principal.userId }),
    ),
  /** One job's status and counts each time they change, until it ends (over WebSocket). */
  progress: operatorProcedure
    .input(jobIdInput.extend({ lastEventId: z.string().max(200).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      async function* follow() {
        const waker = new Waker();
        const detach = ctx.deps.live.onActivity(waker.wake);
        try {
          let last = input.lastEventId ?? null;
          while (!signal?.aborted) {
            const view = await ctx.deps.jobs.jobs.get(input.jobId);
            const id = progressId(view);
            if (id !== last) {
              last = id;
              yield { id, view };
            }
            if (FINAL.has(view.status)) return;
            await waker.wait(1000, signal);
          }
        } finally {
          detach();
        }
      }
      for await (const p of domainErrorsMapped(follow())) yield tracked(p.id, p.view);
    }),
} satisfies TRPCRouterRecord;
