import { DAILY_COLUMNS } from './analyticsService';

const COUNTS = new Set<string>(['day', 'source']);
const NULLABLE = new Set<string>([
  'duplicate_rate',
  'decision_p50_ms',
  'decision_p95_ms',
  'resolve_p50_seconds',
  'resolve_p95_seconds',
]);

const dailyRow = {
  type: 'object',
  required: [...DAILY_COLUMNS],
  properties: Object.fromEntries(
    DAILY_COLUMNS.map((c) => [
      c,
      c === 'day'
        ? { type: 'string', format: 'date' }
        : COUNTS.has(c)
          ? { type: 'string' }
          : NULLABLE.has(c)
            ? { type: ['number', 'null'] }
            : { type: 'integer' },
    ]),
  ),
};

const rangeParameters = [
  { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
  { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
  { name: 'source', in: 'query', required: false, schema: { type: 'string' } },
  {
    name: 'zone',
    in: 'query',
    required: false,
    schema: { type: 'string', description: 'UTC (default) or NEXUS_ANALYTICS_TIME_ZONE' },
  },
];

/** The analytics routes in the OpenAPI document. */
export function analyticsPaths(errors: (...statuses: number[]) => object) {
  return {
    '/api/v1/analytics/daily': {
      get: {
        summary: 'Daily rollups, one row per day and source (docs/decisions/0030-daily-rollups.md)',
        parameters: rangeParameters,
        responses: {
          200: {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['days'],
                  properties: { days: { type: 'array', items: dailyRow } },
                },
              },
            },
          },
          ...errors(400, 401, 403),
        },
      },
    },
    '/api/v1/analytics/daily.csv': {
      get: {
        summary: 'The same daily rows as CSV (a header of the JSON keys)',
        parameters: rangeParameters,
        responses: {
          200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errors(400, 401, 403),
        },
      },
    },
  };
}
