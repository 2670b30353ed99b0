/** The four roles; each user or service account has one. */
export type UserRole = 'admin' | 'operator' | 'reviewer' | 'ingest';

/**
 * Which roles may call the procedures of each level (docs/decisions/0006-control-plane-auth-and-api.md).
 * Operators supervise the whole engine, so they pass the reviewer and ingest levels too; only
 * admins manage users. Reviewers never see batches; ingest clients never see customers.
 * Shared by the server (which enforces it) and the dashboard (which only hides what a role may not use).
 */
export const ROLE_GRANTS = {
  admin: ['admin'],
  operator: ['admin', 'operator'],
  reviewer: ['admin', 'operator', 'reviewer'],
  ingest: ['admin', 'operator', 'ingest'],
  authed: ['admin', 'operator', 'reviewer', 'ingest'],
  /** `/identify`: the systems that send people (ingest) ask which contact an email or phone is. */
  identify: ['admin', 'operator', 'ingest'],
  /**
   * Erasure and access requests (issue 18): a person's whole file, or its destruction, is an
   * admin's act; no other role reads everything about one person at once or removes it.
   */
  privacy: ['admin'],
} as const satisfies Record<string, readonly UserRole[]>;

export type ProcedureLevel = keyof typeof ROLE_GRANTS | 'public';

export function mayCall(level: ProcedureLevel, role: UserRole | undefined): boolean {
  if (level === 'public') return true;
  return role !== undefined && (ROLE_GRANTS[level] as readonly UserRole[]).includes(role);
}
