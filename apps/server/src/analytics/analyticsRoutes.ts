import type { IncomingMessage } from 'node:http';
import { analyticsRangeInput } from '@nexus/schema';
import { RequestError } from '../errors/domainError';
import { zodFieldErrors } from '../errors/errorMapping';
import { queryOf, type RestContext, type RestRoute } from '../rest/restRoute';
import { checkedRange, dailyFigures } from './analyticsService';
import { analyticsSettings } from './analyticsSettings';
import { dailyCsv } from './dailyCsv';

/** The query's range, checked: 400 REQUEST.INVALID with the fields at fault otherwise. */
function rangeOf(ctx: RestContext, req: IncomingMessage) {
  const parsed = analyticsRangeInput.safeParse(queryOf(req));
  if (!parsed.success) {
    throw new RequestError('REQUEST.INVALID', 'the query is invalid', {
      fields: zodFieldErrors(parsed.error),
    });
  }
  return checkedRange(analyticsSettings(ctx.deps.config), parsed.data);
}

/** REST adapters of the analytics service (DESIGN contract: GET /api/v1/analytics/daily). */
export const ANALYTICS_ROUTES: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/analytics/daily',
    level: 'reviewer',
    summary: 'Daily rollups per day and source: ?from=YYYY-MM-DD&to=YYYY-MM-DD&source=&zone=',
    handle: async (ctx, req) => ({
      status: 200,
      body: { days: await dailyFigures(ctx.deps.db, rangeOf(ctx, req)) },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/analytics/daily.csv',
    level: 'reviewer',
    summary: 'The same daily rows as CSV',
    handle: (ctx, req) => {
      const r = rangeOf(ctx, req);
      return Promise.resolve({
        status: 200,
        body: null,
        file: {
          contentType: 'text/csv; charset=utf-8',
          filename: `nexus-daily-${r.from}-${r.to}.csv`,
          chunks: dailyCsv(ctx.deps.db, r),
        },
      });
    },
  },
];
