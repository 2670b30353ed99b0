import type { z } from 'zod';
import { identifyInput } from '@nexus/schema';
import { eraseContactBody } from './identifyRoutes';

const contact = {
  type: 'object',
  required: ['contact'],
  properties: {
    contact: {
      type: 'object',
      required: ['primaryContatctId', 'emails', 'phoneNumbers', 'secondaryContactIds'],
      properties: {
        primaryContatctId: { type: 'integer', description: 'spelled as the Bitespeed contract spells it' },
        primaryContactId: { type: 'integer', description: 'the same id, spelled correctly' },
        emails: { type: 'array', items: { type: 'string' }, description: "distinct, the primary's first" },
        phoneNumbers: {
          type: 'array',
          items: { type: 'string' },
          description: "distinct, the primary's first",
        },
        secondaryContactIds: {
          type: 'array',
          items: { type: 'integer' },
          description: 'in order of creation',
        },
      },
    },
  },
};

const contactId = [
  { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 2_147_483_647 } },
];
const ids = (key: string, description: string) => ({
  type: 'object',
  required: [key],
  properties: { [key]: { type: 'array', items: { type: 'integer' }, description } },
});

/** The `/identify` and contact-family routes in the OpenAPI document, built with the document's own helpers. */
export function identifyPaths(
  json: (schema: z.ZodType) => object,
  ok: (status: number, schema: object) => object,
  errors: (...statuses: number[]) => object,
): Record<string, object> {
  const identify = {
    post: {
      summary: 'Which contact is this email or phone number? (the Bitespeed /identify contract)',
      description:
        'Creates a primary for an unknown value, a secondary for new information about a known family, joins two ' +
        'families under the older primary. Needs a token of the identify grant unless NEXUS_IDENTIFY_PUBLIC=true.',
      requestBody: { required: true, content: { 'application/json': { schema: json(identifyInput) } } },
      responses: { ...ok(200, contact), ...errors(400, 401, 403, 413, 415, 429) },
    },
  };
  return {
    '/identify': identify,
    '/api/v1/identify': identify,
    '/api/v1/contacts/{id}': {
      delete: {
        summary: "Soft-deletes a contact's family: it no longer answers /identify (admins)",
        parameters: contactId,
        responses: {
          ...ok(200, ids('deleted', "the family's contact ids")),
          ...errors(400, 401, 403, 404, 429),
        },
      },
    },
    '/api/v1/contacts/{id}/erase': {
      post: {
        summary: "Erases a contact's family: its rows are deleted (admins; a reason is required)",
        parameters: contactId,
        requestBody: { required: true, content: { 'application/json': { schema: json(eraseContactBody) } } },
        responses: {
          ...ok(200, ids('erased', "the family's contact ids")),
          ...errors(400, 401, 403, 404, 413, 415, 429),
        },
      },
    },
  };
}
