import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { auditFeedInput, batchProgressInput, liveFeedInput } from '@nexus/schema';
import { viewerOf } from '../auth/ownership';
import { ingestProcedure, operatorProcedure, reviewerProcedure } from '../trpc/trpc';
import { followActiveBatches } from '../batches/followBatches';
import { tailAudit } from './auditTail';
import { followBatch } from '../batches/batchProgress';
import { domainErrorsMapped } from './domainErrorsMapped';
import { followRing } from './followRing';

/**
 * Subscriptions (over WebSocket): async generators that end when the client goes (opts.signal),
 * yield tracked(id, data), and resume after the client's lastEventId on reconnect.
 */
export const liveRouter = {
  /** Records decided in each second, by decision. */
  throughput: operatorProcedure.input(liveFeedInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const e of followRing(ctx.deps.live.throughput, input.lastEventId, signal))
      yield tracked(String(e.id), e.data);
  }),
  /** Each second: every partition actor's state, its lag, and the relay backlog. */
  engine: operatorProcedure.input(liveFeedInput).subscription(async function* ({ ctx, input, signal }) {
    await ctx.deps.live.warmEngine();
    for await (const e of followRing(ctx.deps.live.engineStates, input.lastEventId, signal))
      yield tracked(String(e.id), e.data);
  }),
  /** One batch's counts each time they change, until it completes; an ingest account's own batches only. */
  batchProgress: ingestProcedure.input(batchProgressInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const viewer = viewerOf(ctx.principal);
    const progress = followBatch(
      ctx.deps.db,
      ctx.deps.live,
      input.batchId,
      viewer,
      input.lastEventId,
      signal,
    );
    for await (const p of domainErrorsMapped(progress)) {
      yield tracked(p.id, p.view);
    }
  }),
  /**
   * The batches still being decided, each time one changes (new, counts, settled); one feed for
   * the list. An ingest account watches its own batches only.
   */
  activeBatches: ingestProcedure.subscription(async function* ({ ctx, signal }) {
    yield* followActiveBatches(ctx.deps.db, ctx.deps.live, viewerOf(ctx.principal), signal);
  }),
  /** Review cases as they open, are claimed, released and resolved. */
  reviewCases: reviewerProcedure.input(liveFeedInput).subscription(async function* ({ ctx, input, signal }) {
    const entries = tailAudit(ctx.deps.db, {
      lastEventId: input.lastEventId,
      signal,
      onActivity: (l) => ctx.deps.live.onActivity(l),
      accept: (e) => e.entityType === 'review_case',
    });
    for await (const e of entries) {
      yield tracked(e.id, {
        type: e.action.replace(/^review_case\./, ''),
        caseId: e.entityId,
        recordId: e.recordId,
        actor: e.actor,
        at: e.at,
        detail: e.after,
      });
    }
  }),
  /** Audit entries as they are appended, optionally of one entity type or action (prefix ending in `.`). */
  audit: reviewerProcedure.input(auditFeedInput).subscription(async function* ({ ctx, input, signal }) {
    const action = input.action;
    const entries = tailAudit(ctx.deps.db, {
      lastEventId: input.lastEventId,
      signal,
      onActivity: (l) => ctx.deps.live.onActivity(l),
      accept: (e) =>
        (!input.entityType || e.entityType === input.entityType) &&
        (!action || (action.endsWith('.') ? e.action.startsWith(action) : e.action === action)),
    });
    for await (const e of entries) yield tracked(e.id, e);
  }),
} satisfies TRPCRouterRecord;
