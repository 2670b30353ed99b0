import type { Api } from '../../api/client';

export type AuditEntry = Awaited<ReturnType<Api['audit']['list']['query']>>['items'][number];

export interface AuditFilters {
  entityType: string;
  action: string;
  actor: string;
  /** `datetime-local` values, in the user's zone. */
  since: string;
  until: string;
}

export const NO_FILTERS: AuditFilters = { entityType: '', action: '', actor: '', since: '', until: '' };

export const ENTITY_TYPES = [
  'golden_record',
  'review_case',
  'record',
  'batch',
  'dead_letter',
  'model',
  'user',
];

/** Actions the system writes, offered as suggestions; a prefix ending in "." matches a family. */
export const KNOWN_ACTIONS = [
  'golden_record.',
  'golden_record.created',
  'golden_record.linked',
  'golden_record.merged',
  'golden_record.merged_into',
  'golden_record.split',
  'golden_record.created_by_split',
  'review_case.',
  'review_case.opened',
  'review_case.claimed',
  'review_case.released',
  'review_case.resolved',
  'record.dead_lettered',
  'record.replayed',
  'dead_letter.discarded',
  'batch.cancelled',
  'user.',
  'user.created',
  'user.disabled',
  'user.api_key_issued',
];

/** A local date-time from the form as the API's ISO instant (with the zone's offset applied). */
const instant = (local: string): string | undefined => {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
};

export function listInput(f: AuditFilters) {
  return {
    entityType: f.entityType || undefined,
    action: f.action.trim() || undefined,
    actor: f.actor.trim() || undefined,
    since: instant(f.since),
    until: instant(f.until),
  };
}

/** Whether a live entry belongs in the list as filtered (the feed filters by type and action only). */
export function matches(e: AuditEntry, f: AuditFilters): boolean {
  const input = listInput(f);
  if (input.entityType && e.entityType !== input.entityType) return false;
  if (
    input.action &&
    (input.action.endsWith('.') ? !e.action.startsWith(input.action) : e.action !== input.action)
  )
    return false;
  if (input.actor && e.actor !== input.actor) return false;
  if (input.since && e.at < input.since) return false;
  if (input.until && e.at >= input.until) return false;
  return true;
}

export const filtersFrom = (params: URLSearchParams): AuditFilters => ({
  entityType: params.get('entityType') ?? '',
  action: params.get('action') ?? '',
  actor: params.get('actor') ?? '',
  since: params.get('since') ?? '',
  until: params.get('until') ?? '',
});

export const paramsOf = (f: AuditFilters): Record<string, string> =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== ''));
