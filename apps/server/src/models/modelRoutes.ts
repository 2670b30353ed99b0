import { signedIn, type RestRoute } from '../rest/restRoute';
import { retrainModel } from '../training/retraining';
import { retrainSettings } from '../training/retrainSettings';
import { listModelVersions } from './modelVersions';

/** REST adapters of the model versions (the same service as the `models` tRPC router). */
export const MODEL_ROUTES: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/models',
    level: 'operator',
    summary: 'The matching model versions, newest first, with their held-back figures and which is active',
    handle: async (ctx) => ({ status: 200, body: { versions: await listModelVersions(ctx.deps.db, 50) } }),
  },
  {
    method: 'POST',
    path: '/api/v1/models/retrain',
    level: 'admin',
    summary:
      'Retrain the model from the register now; it becomes active only if not worse on the held-back sample',
    handle: async (ctx) => {
      const report = await retrainModel(ctx.deps.db, {
        trigger: 'on_demand',
        actor: signedIn(ctx).username,
        settings: retrainSettings(ctx.deps.config),
      });
      return { status: 201, body: report };
    },
  },
];
