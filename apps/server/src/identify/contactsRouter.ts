import type { TRPCRouterRecord } from '@trpc/server';
import {
  contactIdInput,
  eraseContactsInput,
  findContactsInput,
  goldenContactsInput,
  identifyInput,
} from '@nexus/schema';
import { recordAccess, requireReason } from '../privacy/accessRecords';
import { audienceOf, maskContactFamily, maskIdentifiedContact } from '../privacy/masking';
import { adminProcedure, identifyProcedure, reviewerProcedure } from '../trpc/trpc';
import { answerIdentify } from './answerIdentify';
import { deleteContactFamily, eraseContactFamily } from './contactFamilies';
import { contactFamiliesOfGoldenRecord, findContactFamilies, getContactFamily } from './contactView';

export const contactsRouter = {
  /** `/identify` over tRPC: the same reconciliation and answer as the REST route. */
  identify: identifyProcedure
    .input(identifyInput)
    .mutation(({ ctx, input }) => answerIdentify(ctx, () => Promise.resolve(input))),
  /**
   * The families holding an email or a phone number; a lookup creates nothing. The contacts
   * answers mask phones and emails as records' (FIELD_MASKS; phones on the dashboard until revealed).
   */
  find: reviewerProcedure.input(findContactsInput).query(async ({ ctx, input }) => {
    requireReason(ctx.principal, input.reason, 'contacts.find');
    const families = await findContactFamilies(ctx.deps.db, input, ctx.deps.config.NEXUS_DEFAULT_COUNTRY);
    await recordAccess(ctx, {
      action: 'contacts.find',
      subjectType: 'search',
      subjectId: (['email', 'phoneNumber'] as const).filter((k) => input[k]).join(','),
      customerIds: families.flatMap((f) => f.goldenRecords.map((g) => g.goldenId)),
      reason: input.reason,
    });
    return families.map((f) => maskContactFamily(f, audienceOf(ctx)));
  }),
  get: reviewerProcedure.input(contactIdInput).query(async ({ ctx, input }) => {
    const family = await getContactFamily(ctx.deps.db, input.contactId);
    await recordAccess(ctx, {
      action: 'contacts.get',
      subjectType: 'contact',
      subjectId: String(family.primary.id),
      customerIds: family.goldenRecords.map((g) => g.goldenId),
      reason: input.reason,
    });
    return maskContactFamily(family, audienceOf(ctx));
  }),
  /** The contact families sharing a verified email or phone with a golden record, shown beside it. */
  ofGoldenRecord: reviewerProcedure.input(goldenContactsInput).query(async ({ ctx, input }) => {
    const families = await contactFamiliesOfGoldenRecord(ctx.deps.db, input.goldenId);
    await recordAccess(ctx, {
      action: 'contacts.ofGoldenRecord',
      subjectType: 'golden_record',
      subjectId: input.goldenId,
      customerIds: [input.goldenId],
      reason: input.reason,
    });
    return families.map((f) => maskIdentifiedContact(f, audienceOf(ctx)));
  }),
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
