import {
  maskComparisons,
  maskPerson,
  maskRuleOf,
  maskValue,
  type IdentifiedContact,
  type MaskAudience,
} from '@nexus/schema';
import type { Principal } from '../auth/roles';
import type { CustomerSummary, CustomerView } from '../customers/customersService';
import type { ContactFamilyView, ContactNode } from '../identify/contactView';
import type { RecordView } from '../records/recordsService';
import type { ReviewCaseView } from '../review/reviewService';

/**
 * Header the dashboard sends on every API call: its answers mask national ids and phones for
 * every role until one is revealed (DASHBOARD_MASKED). It is not a security boundary (a reviewer
 * may read full values over the API): it keeps full values off screens that did not ask for them.
 */
export const DASHBOARD_HEADER = 'x-nexus-dashboard';

/** Whom an answer is for: the caller's role, and whether the dashboard asked. */
export function audienceOf(ctx: { principal: Principal; dashboard?: boolean }): MaskAudience {
  return { role: ctx.principal.role, dashboard: ctx.dashboard === true };
}

/**
 * API answers as the caller may see them (FIELD_MASKS in @nexus/schema, the one mapping): every
 * person's values an answer carries, compared values of explanations included, go through
 * maskPerson / maskComparisons, so a new field of the mapping is masked everywhere at once.
 */
export function maskRecordView(view: RecordView, audience: MaskAudience): RecordView {
  return {
    ...view,
    payload: maskPerson(view.payload, audience),
    explanation: maskComparisons(view.explanation, audience),
  };
}

export function maskCustomerSummary<T extends CustomerSummary>(view: T, audience: MaskAudience): T {
  return { ...view, best: maskPerson(view.best, audience) };
}

export function maskCustomerView(view: CustomerView, audience: MaskAudience): CustomerView {
  return {
    ...maskCustomerSummary(view, audience),
    members: view.members.map((m) => ({ ...m, payload: maskPerson(m.payload, audience) })),
  };
}

export function maskReviewCase(view: ReviewCaseView, audience: MaskAudience): ReviewCaseView {
  return {
    ...view,
    record: view.record ? { ...view.record, payload: maskPerson(view.record.payload, audience) } : null,
    explanation: maskComparisons(view.explanation, audience),
    candidates: view.candidates.map((c) => ({
      ...c,
      best: maskPerson(c.best, audience),
      members: c.members.map((m) => ({ ...m, payload: maskPerson(m.payload, audience) })),
      comparison: maskComparisons(c.comparison, audience),
    })),
  };
}

/** A contact's phone or email as `audience` sees it: the same rules as a record's `phone` and `email`. */
function maskContactValue(value: string, field: 'phone' | 'email', audience: MaskAudience): string {
  return value === '' ? value : maskValue(value, maskRuleOf(audience, field));
}

const maskContactNode = (c: ContactNode, audience: MaskAudience): ContactNode => ({
  ...c,
  email: c.email === null ? null : maskContactValue(c.email, 'email', audience),
  phoneNumber: c.phoneNumber === null ? null : maskContactValue(c.phoneNumber, 'phone', audience),
});

/** A contact family's `/identify` answer for the dashboard and the contacts API (not `/identify` itself). */
export function maskIdentifiedContact(answer: IdentifiedContact, audience: MaskAudience): IdentifiedContact {
  return {
    ...answer,
    emails: answer.emails.map((e) => maskContactValue(e, 'email', audience)),
    phoneNumbers: answer.phoneNumbers.map((p) => maskContactValue(p, 'phone', audience)),
  };
}

export function maskContactFamily(view: ContactFamilyView, audience: MaskAudience): ContactFamilyView {
  return {
    ...view,
    answer: maskIdentifiedContact(view.answer, audience),
    primary: maskContactNode(view.primary, audience),
    secondaries: view.secondaries.map((c) => maskContactNode(c, audience)),
    goldenRecords: view.goldenRecords.map((g) => ({
      ...g,
      value: maskContactValue(g.value, g.sharedBy, audience),
    })),
  };
}
