import { formatDecimal } from '../../ui/format';
import type { HistoryEntry, Member } from './customerTypes';
import { shortId, valueText } from './people';

export type HistoryKind = 'created' | 'linked' | 'merged' | 'split' | 'reviewed' | 'other';

export interface HistoryStory {
  kind: HistoryKind;
  title: string;
  reason: string | null;
  /** Another customer the entry points to (merged into, split into...). */
  link: { to: string; text: string } | null;
  /** Best values that changed, and the member count. */
  changes: Array<{ field: string; before: string; after: string }>;
  /** What a reviewer should look at again (members that fit no other after a merge). */
  warnings: string[];
}

type Json = Record<string, unknown> | null;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bestOf = (j: Json): Record<string, unknown> => (j?.best as Record<string, unknown> | undefined) ?? {};

/** A record's name for people: its source and external id, or a short id when unknown. */
export function memberLabeller(
  members: readonly Member[],
  named: ReadonlyArray<{ recordId: string; source: string; externalId: string }> = [],
): (recordId: unknown) => string {
  const known = new Map([...named, ...members].map((m) => [m.recordId, `${m.source} ${m.externalId}`]));
  return (recordId) => {
    const id = str(recordId);
    if (!id) return 'a record';
    return known.get(id) ?? `record ${shortId(id)}`;
  };
}

function changesOf(e: HistoryEntry): HistoryStory['changes'] {
  const before = bestOf(e.before);
  const after = bestOf(e.after);
  const out: HistoryStory['changes'] = [];
  // Since issue 18 the audit log names the fields that changed and keeps no values (entries
  // written before it were rewritten the same way); entries with values are still read.
  const changed = e.after?.changedFields;
  if (Array.isArray(changed) && e.before) {
    for (const field of changed) {
      if (typeof field === 'string' && field !== 'face_image')
        out.push({ field, before: 'earlier value', after: 'changed' });
    }
  }
  if (e.before?.best !== undefined || e.after?.best !== undefined) {
    for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (field === 'face_image') continue;
      const was = valueText(before[field]);
      const now = valueText(after[field]);
      if (was !== now && e.before) out.push({ field, before: was || '–', after: now || '–' });
    }
  }
  const count = (j: Json) => (typeof j?.member_count === 'number' ? j.member_count : null);
  const was = count(e.before);
  const now = count(e.after);
  if (was !== null && now !== null && was !== now)
    out.push({ field: 'members', before: String(was), after: String(now) });
  return out;
}

const RESOLUTIONS: Record<string, string> = {
  same_as: 'same person, linked',
  new_person: 'a different person',
  merge: 'customers merged',
  reject: 'record rejected',
};

/** What an audit entry means for this customer, in words. */
export function describeHistory(e: HistoryEntry, label: (recordId: unknown) => string): HistoryStory {
  const after = e.after ?? {};
  const reason = str(after.reason);
  const base = { reason, link: null, changes: changesOf(e), warnings: [] as string[] };
  switch (e.action) {
    case 'golden_record.created':
      return { ...base, kind: 'created', title: `Created from ${label(e.recordId)}` };
    case 'golden_record.linked': {
      const score = typeof after.score === 'number' ? ` (score ${formatDecimal(after.score)})` : '';
      return { ...base, kind: 'linked', title: `Linked ${label(after.linked ?? e.recordId)}${score}` };
    }
    case 'golden_record.merged': {
      const merged = Array.isArray(after.merged) ? (after.merged as string[]) : [];
      const first = merged[0];
      // The merge compared every member with the others again: say which ones fit nobody.
      const check = after.reResolution as { doubtful?: unknown; crossScore?: unknown } | undefined;
      const doubtful = Array.isArray(check?.doubtful) ? check.doubtful : [];
      const warnings =
        doubtful.length > 0
          ? [`Fits no other member: ${doubtful.map(label).join(', ')}. Split out if it is someone else.`]
          : [];
      const cross =
        typeof check?.crossScore === 'number'
          ? ` (closest pair scored ${formatDecimal(check.crossScore)})`
          : '';
      return {
        ...base,
        warnings,
        kind: 'merged',
        title: `Merged ${merged.length === 1 ? 'another customer' : `${merged.length} customers`} into this one${cross}`,
        link: first ? { to: `/customers/${first}`, text: `customer ${shortId(first)}` } : null,
      };
    }
    case 'golden_record.merged_into': {
      const into = str(after.merged_into);
      return {
        ...base,
        kind: 'merged',
        title: 'Merged into another customer',
        link: into ? { to: `/customers/${into}`, text: `customer ${shortId(into)}` } : null,
      };
    }
    case 'golden_record.split': {
      const into = str(after.splitInto);
      return {
        ...base,
        kind: 'split',
        title: `Split ${label(e.recordId)} out into its own customer`,
        link: into ? { to: `/customers/${into}`, text: `customer ${shortId(into)}` } : null,
      };
    }
    case 'golden_record.created_by_split': {
      const from = str(after.splitFrom);
      return {
        ...base,
        changes: [],
        kind: 'split',
        title: `Created by splitting ${label(e.recordId)} out of another customer`,
        link: from ? { to: `/customers/${from}`, text: `customer ${shortId(from)}` } : null,
      };
    }
    case 'review_case.resolved': {
      const resolution = str(after.resolution);
      const outcome = resolution ? (RESOLUTIONS[resolution] ?? resolution) : 'resolved';
      return {
        ...base,
        changes: [],
        kind: 'reviewed',
        title: `Review of ${label(e.recordId)}: ${outcome}`,
        link: { to: `/review/${e.entityId}`, text: 'review case' },
      };
    }
    default:
      return { ...base, kind: 'other', title: e.action };
  }
}
