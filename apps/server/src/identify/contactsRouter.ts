import type { TRPCRouterRecord } from '@trpc/server';
import {
  contactIdInput,
  eraseContactsInput,
  findContactsInput,
  goldenContactsInput,
  identifyInput,
} from '@nexus/schema';
import { adminProcedure, identifyProcedure, reviewerProcedure } from '../trpc/trpc';
import { answerIdentify } from './answerIdentify';
import { deleteContactFamily, eraseContactFamily } from './contactFamilies';
import { contactFamiliesOfGoldenRecord, findContactFamilies, getContactFamily } from './contactView';

export const contactsRouter = {
  /** `/identify` over tRPC: the same reconciliation and answer as the REST route. */
  identify: identifyProcedure
    .input(identifyInput)
    .mutation(({ ctx, input }) => answerIdentify(ctx, () => Promise.resolve(input))),
  /** The families holding an email or a phone number; a lookup creates nothing. */
  find: reviewerProcedure
    .input(findContactsInput)
    .query(({ ctx, input }) =>
      findContactFamilies(ctx.deps.db, input, ctx.deps.config.NEXUS_DEFAULT_COUNTRY),
    ),
  get: reviewerProcedure
    .input(contactIdInput)
    .query(({ ctx, input }) => getContactFamily(ctx.deps.db, input.contactId)),
  /** The contact families sharing a verified email or phone with a golden record, shown beside it. */
  ofGoldenRecord: reviewerProcedure
    .input(goldenContactsInput)
    .query(({ ctx, input }) => contactFamiliesOfGoldenRecord(ctx.deps.db, input.goldenId)),
  /** Soft delete: the family no longer answers `/identify`; its rows stay. */
  deleteFamily: adminProcedure
    .input(contactIdInput)
    .mutation(({ ctx, input }) => deleteContactFamily(ctx.deps.db, input.contactId, ctx.principal.username)),
  /** Erasure: the family's rows are deleted; the audit log keeps ids and the reason, never values. */
  eraseFamily: adminProcedure
    .input(eraseContactsInput)
    .mutation(({ ctx, input }) =>
      eraseContactFamily(ctx.deps.db, input.contactId, input.reason, ctx.principal.username),
    ),
} satisfies TRPCRouterRecord;
