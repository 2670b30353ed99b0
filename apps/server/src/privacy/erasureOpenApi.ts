import type { z } from 'zod';
import { erasureInput } from '@nexus/schema';

/** The erasure and export routes in the OpenAPI document, built with the document's own helpers. */
export function erasurePaths(
  json: (schema: z.ZodType) => object,
  ok: (status: number, schema: object, description?: string) => object,
  errors: (...statuses: number[]) => object,
): Record<string, object> {
  const plan = {
    type: 'object',
    description:
      'What was (or, on a dry run, would be) erased: records, golden records (erased or resettled), face ' +
      'references, review cases, counts of blocking keys, dead letters, bus messages and explanations, contacts',
  };
  return {
    '/api/v1/erasures': {
      post: {
        summary: 'Erases a person (customerId) or records (recordIds); dryRun answers what would be erased',
        description: 'Admins only (the privacy grant). docs/privacy.md says what goes and what stays.',
        requestBody: { required: true, content: { 'application/json': { schema: json(erasureInput) } } },
        responses: {
          ...ok(200, plan, 'the dry run: nothing was erased'),
          ...ok(201, plan, 'erased'),
          ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503),
        },
      },
    },
    '/api/v1/people/{customerId}/export': {
      get: {
        summary: 'Everything Nexus holds about a person, as one JSON document (an access request)',
        parameters: [
          { name: 'customerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        ],
        responses: { ...ok(200, { type: 'object' }), ...errors(400, 401, 403, 404, 429) },
      },
    },
  };
}
