import type { z } from 'zod';
import { accessTrailInput, revealInput } from '@nexus/schema';

/** The access-trail and Reveal routes in the OpenAPI document, built with the document's own helpers. */
export function accessPaths(
  json: (schema: z.ZodType) => object,
  ok: (status: number, schema: object, description?: string) => object,
  errors: (...statuses: number[]) => object,
): Record<string, object> {
  const query = json(accessTrailInput) as { properties?: Record<string, object> };
  return {
    '/api/v1/access-records': {
      get: {
        summary:
          "Who read whose data: a person's trail (customerId) or an account's (username), newest first",
        description: 'Admins only. Pages with nextCursor: pass it as cursor for the next page.',
        parameters: Object.entries(query.properties ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: false,
          schema,
        })),
        responses: {
          ...ok(200, {
            type: 'object',
            required: ['items'],
            properties: {
              items: { type: 'array', items: { type: 'object' } },
              nextCursor: { type: 'string' },
            },
          }),
          ...errors(400, 401, 403, 429),
        },
      },
    },
    '/api/v1/reveals': {
      post: {
        summary:
          'One masked value in full (a national id, phone or e-mail); written to the access trail first',
        description:
          'Reviewers and admins. Give one of recordId, customerId or contactId, and the field; a reason is kept with the access record.',
        requestBody: { required: true, content: { 'application/json': { schema: json(revealInput) } } },
        responses: {
          ...ok(200, {
            type: 'object',
            required: ['field', 'value'],
            properties: { field: { type: 'string' }, value: { type: 'string', description: 'in full' } },
          }),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
  };
}
