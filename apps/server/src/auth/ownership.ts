import type { Principal } from './roles';

/**
 * Whose batches and records a caller reaches (docs/decisions/0025-ownership-of-batches-and-records.md).
 * Admins, operators and reviewers run and review the whole engine: everything, with full
 * explanations. An ingest account reaches only what it submitted, and sees decisions, ids, rules,
 * scores and weights, never another person's values.
 */
export type Viewer = { sees: 'everything' } | { sees: 'own'; userId: string };

/** The engine itself and operator-only paths: no owner to check. */
export const EVERYTHING: Viewer = { sees: 'everything' };

export function viewerOf(principal: Pick<Principal, 'userId' | 'role'>): Viewer {
  switch (principal.role) {
    case 'admin':
    case 'operator':
    case 'reviewer':
      return EVERYTHING;
    case 'ingest':
      return { sees: 'own', userId: principal.userId };
    default:
      return unknownRole(principal.role);
  }
}

function unknownRole(role: never): never {
  throw new Error(`no ownership rule for role ${String(role)}`);
}

/** Whether a batch or record submitted by `submittedById` is the viewer's to see. */
export function mayView(viewer: Viewer, submittedById: string | null): boolean {
  return viewer.sees === 'everything' || submittedById === viewer.userId;
}

/** Who submits a batch or a streamed record: kept on it as its owner. */
export type Submitter = Pick<Principal, 'userId' | 'username' | 'role'>;
