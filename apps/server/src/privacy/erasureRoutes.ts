import { erasureInput, personExportInput } from '@nexus/schema';
import { readJsonBody } from '../rest/readJsonBody';
import { parse, signedIn, type RestRoute } from '../rest/restRoute';
import { erase } from './erasureService';
import { exportPerson } from './exportPerson';

/** Erasure and access requests over REST (the `privacy` grant: admins). */
export const ERASURE_ROUTES: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/erasures',
    level: 'privacy',
    summary: 'Erases a person (customerId) or records (recordIds); dryRun answers what would be erased',
    handle: async (ctx, req) => {
      const input = parse(erasureInput, await readJsonBody(req, ctx.deps.config.NEXUS_MAX_BODY_BYTES));
      const result = await erase({ ...ctx.deps, abisUrl: ctx.deps.abisUrl }, input, signedIn(ctx).username);
      return { status: input.dryRun ? 200 : 201, body: result };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/people/:customerId/export',
    level: 'privacy',
    summary: 'Everything Nexus holds about a person, as one JSON document (an access request)',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await exportPerson(
        ctx.deps.db,
        parse(personExportInput, params).customerId,
        signedIn(ctx).username,
        ctx.deps.config.NEXUS_DEFAULT_COUNTRY,
      ),
    }),
  },
];
