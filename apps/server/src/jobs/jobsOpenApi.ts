import { z } from 'zod';
import { createJobInput, createSourceInput, testSourceInput, updateSourceInput } from '@nexus/schema';
import { JOB_ROUTES } from './jobRoutes';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const BODIES: Record<string, object> = {
  'POST /api/v1/sources': json(createSourceInput),
  'PUT /api/v1/sources/:id': json(updateSourceInput.omit({ sourceId: true })),
  'POST /api/v1/jobs': json(createJobInput),
  'POST /api/v1/sources/test': json(testSourceInput),
};

const jobCounts = [
  'read',
  'accepted',
  'rejected',
  'pending',
  'new',
  'linked',
  'review',
  'dead_lettered',
  'cancelled',
];
const job = {
  type: 'object',
  required: ['id', 'status', 'counts', 'error'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['queued', 'fetching', 'deciding', 'completed', 'failed', 'cancelled'] },
    counts: {
      type: 'object',
      properties: Object.fromEntries(jobCounts.map((k) => [k, { type: 'integer' }])),
    },
    error: { type: ['string', 'null'] },
    errorCode: { type: ['string', 'null'] },
    steps: { type: 'object', description: 'queuedMs, fetchingMs, decidingMs' },
  },
};

/** The jobs routes in the OpenAPI document, from the routes themselves. */
export function jobPaths(errors: (...statuses: number[]) => object) {
  const paths: Record<string, Record<string, object>> = {};
  for (const route of JOB_ROUTES) {
    const at = route.path.replace(/:(\w+)/g, '{$1}');
    const key = `${route.method} ${route.path}`;
    const body = BODIES[key];
    const csv = route.path.endsWith('.csv');
    const upload = route.path === '/api/v1/uploads';
    paths[at] ??= {};
    paths[at][route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.path.includes(':id')
        ? {
            parameters: [
              { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
            ],
          }
        : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      ...(upload
        ? {
            requestBody: {
              required: true,
              content: {
                'text/csv': { schema: { type: 'string' } },
                'application/x-ndjson': { schema: { type: 'string' } },
              },
            },
          }
        : {}),
      responses: {
        [route.method === 'POST' && route.path.startsWith('/api/v1/jobs')
          ? 202
          : route.method === 'POST' && !route.path.endsWith('/test')
            ? 201
            : 200]: csv
          ? { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }
          : route.path === '/api/v1/jobs/:id' && route.method !== 'POST'
            ? { description: 'the job', content: { 'application/json': { schema: job } } }
            : { description: 'ok' },
        ...errors(400, 401, 403, 404, 409),
      },
    };
  }
  return paths;
}
