import { analyticsRouter } from '../analytics/analyticsRouter';
import { auditRouter } from '../audit/auditRouter';
import { authRouter } from '../auth/authRouter';
import { batchesRouter } from '../batches/batchesRouter';
import { customersRouter } from '../customers/customersRouter';
import { contactsRouter } from '../identify/contactsRouter';
import { deadLettersRouter } from '../deadLetters/deadLettersRouter';
import { ingestRouter } from '../ingest/ingestRouter';
import { jobsRouter } from '../jobs/jobsRouter';
import { liveRouter } from '../live/liveRouter';
import { modelsRouter } from '../models/modelsRouter';
import { accessRouter } from '../privacy/accessRouter';
import { notificationsRouter } from '../notifications/notificationsRouter';
import { recordsRouter } from '../records/recordsRouter';
import { reviewRouter } from '../review/reviewRouter';
import { usersRouter } from '../users/usersRouter';
import { privacyRouter } from '../privacy/privacyRouter';
import { createRouter } from './trpc';

/** The control plane's API: one router per feature. */
export const appRouter = createRouter({
  auth: authRouter,
  ingest: ingestRouter,
  batches: batchesRouter,
  records: recordsRouter,
  customers: customersRouter,
  review: reviewRouter,
  deadLetters: deadLettersRouter,
  audit: auditRouter,
  users: usersRouter,
  live: liveRouter,
  contacts: contactsRouter,
  analytics: analyticsRouter,
  privacy: privacyRouter,
  access: accessRouter,
  notifications: notificationsRouter,
  jobs: jobsRouter,
  models: modelsRouter,
});

export type AppRouter = typeof appRouter;
