import type { TRPCRouterRecord } from '@trpc/server';
import { modelRetrainInput, modelVersionsInput } from '@nexus/schema';
import { retrainModel } from '../training/retraining';
import { retrainSettings } from '../training/retrainSettings';
import { adminProcedure, operatorProcedure } from '../trpc/trpc';
import { listModelVersions } from './modelVersions';

/**
 * The matching model's versions (docs/decisions/0040-self-retraining.md): operators see them and
 * which one decides; only admins retrain on demand, since a new active model changes every
 * decision that follows.
 */
export const modelsRouter = {
  versions: operatorProcedure
    .input(modelVersionsInput)
    .query(({ ctx, input }) => listModelVersions(ctx.deps.db, input?.limit ?? 50)),
  retrain: adminProcedure.input(modelRetrainInput).mutation(({ ctx }) =>
    retrainModel(ctx.deps.db, {
      trigger: 'on_demand',
      actor: ctx.principal.username,
      settings: retrainSettings(ctx.deps.config),
    }),
  ),
} satisfies TRPCRouterRecord;
