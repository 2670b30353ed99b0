import { maskPerson, type UserRole } from '@nexus/schema';
import type { CustomerSummary, CustomerView } from '../customers/customersService';
import type { RecordView } from '../records/recordsService';
import type { ReviewCaseView } from '../review/reviewService';

/**
 * API answers as the caller's role may see them (FIELD_MASKS in @nexus/schema, the one mapping):
 * every person's values an answer carries go through maskPerson, so a new field of the mapping
 * is masked everywhere at once.
 */
export function maskRecordView(view: RecordView, role: UserRole): RecordView {
  return { ...view, payload: maskPerson(view.payload, role) };
}

export function maskCustomerSummary<T extends CustomerSummary>(view: T, role: UserRole): T {
  return { ...view, best: maskPerson(view.best, role) };
}

export function maskCustomerView(view: CustomerView, role: UserRole): CustomerView {
  return {
    ...maskCustomerSummary(view, role),
    members: view.members.map((m) => ({ ...m, payload: maskPerson(m.payload, role) })),
  };
}

export function maskReviewCase(view: ReviewCaseView, role: UserRole): ReviewCaseView {
  return {
    ...view,
    record: view.record ? { ...view.record, payload: maskPerson(view.record.payload, role) } : null,
    candidates: view.candidates.map((c) => ({
      ...c,
      best: maskPerson(c.best, role),
      members: c.members.map((m) => ({ ...m, payload: maskPerson(m.payload, role) })),
    })),
  };
}
