import { z } from 'zod';
import { canonicalRecordSchema, loginInput, MAX_BATCH_RECORDS, refreshInput } from '@nexus/schema';
import { identifyPaths } from '../identify/identifyOpenApi';
import { analyticsPaths } from '../analytics/analyticsOpenApi';
import { erasurePaths } from '../privacy/erasureOpenApi';
import { accessPaths } from '../privacy/accessOpenApi';
import { NOTIFICATION_SCHEMA, notificationsPaths } from '../notifications/notificationsOpenApi';
import { jobPaths } from '../jobs/jobsOpenApi';
import { modelPaths } from '../models/modelsOpenApi';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable code, e.g. BATCH.NOT_FOUND, REQUEST.INVALID' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
    requestId: { type: 'string' },
  },
};

const fieldErrors = {
  type: 'array',
  items: {
    type: 'object',
    required: ['field', 'message'],
    properties: { field: { type: 'string' }, message: { type: 'string' } },
  },
};

const tokenPair = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'expiresIn'],
  properties: {
    accessToken: { type: 'string', description: 'JWT (HS256); send as Authorization: Bearer TOKEN' },
    refreshToken: { type: 'string', description: 'one use: POST /api/v1/auth/refresh returns a new pair' },
    expiresIn: { type: 'integer', description: 'seconds until the access token expires' },
  },
};

const batch = {
  type: 'object',
  required: ['id', 'status', 'counts'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['received', 'processing', 'completed', 'failed', 'cancelled'] },
    counts: {
      type: 'object',
      required: ['records', 'pending', 'new', 'linked', 'review', 'rejected', 'dead_lettered'],
      properties: Object.fromEntries(
        ['records', 'pending', 'new', 'linked', 'review', 'rejected', 'dead_lettered'].map((k) => [
          k,
          { type: 'integer' },
        ]),
      ),
    },
  },
};

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      String(s),
      {
        description: 'error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );
const ok = (status: number, schema: object, description = 'ok') => ({
  [String(status)]: { description, content: { 'application/json': { schema } } },
});
const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const batchId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];

let cached: object | undefined;

/** The REST routes as OpenAPI 3.1; request schemas come from the same zod schemas that validate them. */
export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'Nexus REST API',
      version: '1',
      description:
        'Identity de-duplication. Every route but sign-in needs Authorization: Bearer TOKEN (an access token from ' +
        '/api/v1/auth/login, or a service account API key). The typed tRPC API at /trpc (WebSocket: /trpc) covers the rest.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: errorBody,
        CanonicalRecord: json(canonicalRecordSchema),
        Batch: batch,
        TokenPair: tokenPair,
        Notification: NOTIFICATION_SCHEMA,
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/auth/login': {
        post: {
          summary: 'Sign in',
          security: [],
          requestBody: jsonBody(json(loginInput)),
          responses: { ...ok(200, { $ref: '#/components/schemas/TokenPair' }), ...errors(400, 401, 429) },
        },
      },
      '/api/v1/auth/refresh': {
        post: {
          summary: 'Renew a token pair (the refresh token is spent)',
          security: [],
          requestBody: jsonBody(json(refreshInput)),
          responses: { ...ok(200, { $ref: '#/components/schemas/TokenPair' }), ...errors(400, 401) },
        },
      },
      '/api/v1/records': {
        post: {
          summary: 'Submit a batch (path A)',
          description: `At most ${MAX_BATCH_RECORDS} records. Invalid records are answered by index; the rest are accepted. A source belongs to the first ingest account that submits to it: another is refused (403 SOURCE.NOT_YOURS).`,
          requestBody: jsonBody({
            type: 'object',
            required: ['source', 'records'],
            properties: {
              source: { type: 'string', minLength: 1, maxLength: 200 },
              records: {
                type: 'array',
                minItems: 1,
                maxItems: MAX_BATCH_RECORDS,
                items: { $ref: '#/components/schemas/CanonicalRecord' },
              },
            },
          }),
          responses: {
            ...ok(
              202,
              {
                type: 'object',
                required: ['batchId', 'accepted', 'rejected'],
                properties: {
                  batchId: { type: 'string', format: 'uuid' },
                  accepted: { type: 'integer' },
                  rejected: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['index', 'errors'],
                      properties: { index: { type: 'integer' }, errors: fieldErrors },
                    },
                  },
                },
              },
              'accepted: the records are decided asynchronously',
            ),
            ...errors(400, 401, 403, 413, 415, 429),
          },
        },
      },
      '/api/v1/ingest': {
        post: {
          summary: 'Stream one record (path B)',
          description:
            'The same external_id again answers the same record id. A source belongs to the first ingest account that ' +
            'submits to it: another is refused (403 SOURCE.NOT_YOURS); an external_id another account submitted is a ' +
            '409 RECORD.NOT_YOURS, without its id.',
          requestBody: jsonBody({
            type: 'object',
            required: ['source', 'record'],
            properties: {
              source: { type: 'string', minLength: 1, maxLength: 200 },
              record: { $ref: '#/components/schemas/CanonicalRecord' },
            },
          }),
          responses: {
            ...ok(202, {
              type: 'object',
              required: ['recordId'],
              properties: { recordId: { type: 'string', format: 'uuid' } },
            }),
            ...errors(400, 401, 403, 409, 413, 415, 429),
          },
        },
      },
      ...identifyPaths(json, ok, errors),
      ...erasurePaths(json, ok, errors),
      ...accessPaths(json, ok, errors),
      '/api/v1/batches/{id}': {
        get: {
          summary: 'A batch and its counts by decision',
          description:
            "An ingest account's own batches only: another account's batch is a 404, as an unknown one.",
          parameters: batchId,
          responses: { ...ok(200, { $ref: '#/components/schemas/Batch' }), ...errors(400, 401, 403, 404) },
        },
        delete: {
          summary: 'Cancel what is not yet decided',
          parameters: batchId,
          responses: {
            ...ok(200, { $ref: '#/components/schemas/Batch' }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/api/v1/batches/{id}/results.csv': {
        get: {
          summary: "The batch's records with their decisions, customer ids and review cases, as CSV",
          parameters: batchId,
          responses: {
            200: {
              description:
                'CSV with a header: external_id,name,decision,customer_id,review_case_id,rule,decided_at,problem',
              content: { 'text/csv': { schema: { type: 'string' } } },
            },
            ...errors(400, 401, 403, 404),
          },
        },
      },
      '/health': {
        get: {
          summary: 'Liveness and readiness',
          security: [],
          responses: { 200: { description: 'ok' }, 503: { description: 'degraded' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          security: [],
          responses: { 200: { description: 'text exposition format' } },
        },
      },
      ...analyticsPaths(errors),
      ...notificationsPaths(errors),
      ...jobPaths(errors),
      ...modelPaths(errors),
      '/api/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
      '/api/asyncapi.json': {
        get: {
          summary: 'The events webhooks and Kafka carry, with their payload schemas',
          responses: { 200: { description: 'AsyncAPI 3.0' } },
        },
      },
    },
  };
  return cached;
}
