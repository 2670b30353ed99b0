import type { Api } from '../../api/client';
import type { Decision } from './reviewTypes';

/**
 * The case to open after one is resolved: the oldest one nobody else holds. The queue is asked
 * again (not the cached list) so two reviewers working through it do not collide.
 */
export async function nextCaseAfter(api: Api, doneId: string, me: string): Promise<string | null> {
  const page = await api.review.queue.query({ limit: 50 });
  const next = page.items.find((c) => c.id !== doneId && (c.status === 'open' || c.claimedBy === me));
  return next?.id ?? null;
}

export function resolutionNotice(decision: Decision, name: string | null): string {
  const who = name ?? 'the record';
  switch (decision.resolution) {
    case 'same_as':
      return `Linked ${who} to candidate ${decision.label}.`;
    case 'new_person':
      return `${who} is a new person.`;
    case 'merge':
      return `Merged the candidates; ${who} joined them.`;
    case 'reject':
      return `Rejected ${who}.`;
  }
}
