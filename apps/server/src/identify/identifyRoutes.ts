import { z } from 'zod';
import { identifyInput } from '@nexus/schema';
import { readJsonBody } from '../rest/readJsonBody';
import { parse, signedIn, type RestRoute } from '../rest/restRoute';
import { answerIdentify } from './answerIdentify';
import { deleteContactFamily, eraseContactFamily } from './contactFamilies';

const contactParams = z.object({
  id: z.coerce.number({ message: 'must be a contact id' }).int().positive().max(2_147_483_647),
});
export const eraseContactBody = z.object({
  reason: z.string().trim().min(3, { message: 'give a reason (at least 3 characters)' }).max(2000),
});

const identifyRoute = (path: string): RestRoute => ({
  method: 'POST',
  path,
  level: 'identify',
  // Deployments behind a gateway of their own open exactly this route; rate limits still apply.
  publicWhen: (config) => config.NEXUS_IDENTIFY_PUBLIC,
  summary: 'Which contact is this email or phone number? (the Bitespeed /identify contract)',
  handle: async (ctx, req) => ({
    status: 200,
    body: await answerIdentify(ctx, async () =>
      parse(identifyInput, await readJsonBody(req, ctx.deps.config.NEXUS_IDENTIFY_MAX_BODY_BYTES)),
    ),
  }),
});

/** `/identify` at the root (where clients of the contract post) and under /api/v1, and family removal. */
export const IDENTIFY_ROUTES: RestRoute[] = [
  identifyRoute('/identify'),
  identifyRoute('/api/v1/identify'),
  {
    method: 'DELETE',
    path: '/api/v1/contacts/:id',
    level: 'admin',
    summary: "Soft-deletes a contact's family: it no longer answers /identify",
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await deleteContactFamily(ctx.deps.db, parse(contactParams, params).id, signedIn(ctx).username),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/contacts/:id/erase',
    level: 'admin',
    summary: "Erases a contact's family: its rows are deleted",
    handle: async (ctx, req, params) => {
      const id = parse(contactParams, params).id;
      const { reason } = parse(
        eraseContactBody,
        await readJsonBody(req, ctx.deps.config.NEXUS_IDENTIFY_MAX_BODY_BYTES),
      );
      return {
        status: 200,
        body: await eraseContactFamily(ctx.deps.db, id, reason, signedIn(ctx).username),
      };
    },
  },
];
