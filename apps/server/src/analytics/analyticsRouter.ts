import type { TRPCRouterRecord } from '@trpc/server';
import { analyticsRangeInput, analyticsRollupInput, analyticsRunsInput } from '@nexus/schema';
import { operatorProcedure, reviewerProcedure } from '../trpc/trpc';
import { analyticsReport, checkedRange, dailyFigures, rollupRuns, rollupZones } from './analyticsService';
import { analyticsSettings } from './analyticsSettings';
import { rollupDays } from './rollupService';

/**
 * Daily rollups: reviewers see the queue's figures as well as operators, so both read the
 * reports; only operators see and start rollup runs. Ingest clients have their batches instead.
 */
export const analyticsRouter = {
  /** The same answer as GET /api/v1/analytics/daily. */
  daily: reviewerProcedure.input(analyticsRangeInput).query(async ({ ctx, input }) => ({
    days: await dailyFigures(ctx.deps.db, checkedRange(analyticsSettings(ctx.deps.config), input)),
  })),
  /** The Reports page: the daily rows and their breakdowns (rejections, outcomes, field quality, reviewers). */
  report: reviewerProcedure
    .input(analyticsRangeInput)
    .query(({ ctx, input }) =>
      analyticsReport(ctx.deps.db, checkedRange(analyticsSettings(ctx.deps.config), input)),
    ),
  /** The zones days are cut in, for the page's zone switch. */
  zones: reviewerProcedure.query(({ ctx }) => rollupZones(analyticsSettings(ctx.deps.config))),
  runs: operatorProcedure
    .input(analyticsRunsInput)
    .query(({ ctx, input }) => rollupRuns(ctx.deps.db, input?.limit ?? 20)),
  /** Rolls up a range now (as `nexus rollup`), e.g. after a repair. */
  rollup: operatorProcedure.input(analyticsRollupInput).mutation(({ ctx, input }) => {
    const settings = analyticsSettings(ctx.deps.config);
    const range = checkedRange(settings, input);
    return rollupDays(ctx.deps.db, {
      zones: rollupZones(settings),
      from: range.from,
      to: range.to,
      trigger: 'api',
    });
  }),
} satisfies TRPCRouterRecord;
