import type { UserKind, UserRole } from '@nexus/schema';

export type { UserRole, UserKind };

/** Who is calling: a person (signed in) or a service account (API key). */
export interface Principal {
  userId: string;
  username: string;
  role: UserRole;
  kind: UserKind;
  via: 'access_token' | 'api_key';
}

/**
 * Which roles may call the procedures of each level (docs/decisions/0006-control-plane-auth.md).
 * Operators supervise the whole engine, so they pass the reviewer and ingest levels too; only
 * admins manage users. Reviewers never see batches; ingest clients never see customers.
 */
export const ROLE_GRANTS = {
  admin: ['admin'],
  operator: ['admin', 'operator'],
  reviewer: ['admin', 'operator', 'reviewer'],
  ingest: ['admin', 'operator', 'ingest'],
  authed: ['admin', 'operator', 'reviewer', 'ingest'],
} as const satisfies Record<string, readonly UserRole[]>;

export type ProcedureLevel = keyof typeof ROLE_GRANTS | 'public';

export function mayCall(level: ProcedureLevel, role: UserRole | undefined): boolean {
  if (level === 'public') return true;
  return role !== undefined && (ROLE_GRANTS[level] as readonly UserRole[]).includes(role);
}
