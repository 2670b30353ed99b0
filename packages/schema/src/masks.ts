/**
 * What each role sees of a person's identifiers (docs/decisions/0037-access-records-and-masking.md):
 * one mapping shared by the server's answers and the dashboard (which imports this module alone).
 */
import type { UserRole } from './roles';

/** How a field is shown: in full, its last four characters, or an email's first letter and domain. */
export type MaskRule = 'full' | 'last4' | 'email';

/** The person fields that are masked for some roles; every other field is shown as it is. */
export const MASKED_FIELDS = ['national_id', 'phone', 'email'] as const;
export type MaskedField = (typeof MASKED_FIELDS)[number];

/**
 * THE mapping of what each role sees of a person's identifiers in API answers. Reviewers decide
 * whether two records are one person and admins answer erasure and access requests: they need the
 * values. Operators run the engine and ingest clients read back decisions about records they
 * sent: a few characters are enough to tell records apart. The dashboard also masks national ids
 * and phones for reviewers until one is revealed (DASHBOARD_MASKED), which is recorded.
 */
export const FIELD_MASKS: Record<UserRole, Record<MaskedField, MaskRule>> = {
  admin: { national_id: 'full', phone: 'full', email: 'full' },
  reviewer: { national_id: 'full', phone: 'full', email: 'full' },
  operator: { national_id: 'last4', phone: 'last4', email: 'email' },
  ingest: { national_id: 'last4', phone: 'last4', email: 'email' },
};

/** Fields the dashboard shows masked (last4) until the reviewer reveals them. */
export const DASHBOARD_MASKED: readonly MaskedField[] = ['national_id', 'phone'];

/** `*****6625`: as many stars as hidden characters (at least 5), then the last four. */
export function maskValue(value: string, rule: MaskRule): string {
  if (rule === 'full') return value;
  if (rule === 'email') {
    const at = value.lastIndexOf('@');
    if (at <= 0) return '*'.repeat(Math.max(5, value.length));
    return `${value[0]}***${value.slice(at)}`;
  }
  const visible = value.length > 6 ? value.slice(-4) : '';
  return `${'*'.repeat(Math.max(5, value.length - visible.length))}${visible}`;
}

/**
 * Whom an answer is for: the caller's role, and whether the dashboard shows it. The dashboard
 * masks DASHBOARD_MASKED for every role until one value is revealed through `access.reveal`
 * (recorded), so a full national id or phone reaches the browser only when someone asked for it.
 */
export interface MaskAudience {
  role: UserRole;
  dashboard?: boolean;
}

/** The rule `audience` sees `field` by: FIELD_MASKS, tightened to last4 on the dashboard. */
export function maskRuleOf(audience: UserRole | MaskAudience, field: MaskedField): MaskRule {
  const { role, dashboard = false } = typeof audience === 'string' ? { role: audience } : audience;
  const rule = FIELD_MASKS[role][field];
  return dashboard && rule === 'full' && DASHBOARD_MASKED.includes(field) ? 'last4' : rule;
}

const isMaskedField = (field: unknown): field is MaskedField =>
  typeof field === 'string' && (MASKED_FIELDS as readonly string[]).includes(field);

/** A person's values (a payload, a golden record's best values) as `audience` may see them. */
export function maskPerson<T extends Record<string, unknown>>(
  values: T,
  audience: UserRole | MaskAudience,
): T {
  let out: Record<string, unknown> | undefined;
  for (const field of MASKED_FIELDS) {
    const rule = maskRuleOf(audience, field);
    const value = values[field];
    if (rule === 'full' || value === undefined || value === null || value === '') continue;
    out ??= { ...values };
    out[field] = maskValue(typeof value === 'string' ? value : JSON.stringify(value), rule);
  }
  return (out ?? values) as T;
}

const COMPARED_VALUES = ['left', 'right', 'value'] as const;

/**
 * An explanation as `audience` may see it: the compared values of a masked field
 * (`{field: "phone", left, right, value}`, at any depth) masked as the payload's are.
 */
export function maskComparisons<T>(explanation: T, audience: UserRole | MaskAudience): T {
  if (Array.isArray(explanation)) return explanation.map((e: unknown) => maskComparisons(e, audience)) as T;
  if (explanation === null || typeof explanation !== 'object') return explanation;
  const source = explanation as Record<string, unknown>;
  const rule = isMaskedField(source.field) ? maskRuleOf(audience, source.field) : 'full';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(source)) {
    const compared = rule !== 'full' && (COMPARED_VALUES as readonly string[]).includes(key);
    out[key] =
      compared && typeof v === 'string' && v !== '' ? maskValue(v, rule) : maskComparisons(v, audience);
  }
  return out as T;
}
