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

export { ROLE_GRANTS, mayCall, type ProcedureLevel } from '@nexus/schema/roles';
