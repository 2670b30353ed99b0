import { TRPCClientError } from '@trpc/client';

export interface FieldProblem {
  field: string;
  message: string;
}

/** The per-field problems a server error carries (validation), for showing next to each field. */
export function fieldErrorsOf(error: unknown): FieldProblem[] {
  if (!(error instanceof TRPCClientError)) return [];
  const fields = (error.data as { fields?: FieldProblem[] | null } | undefined)?.fields;
  return Array.isArray(fields) ? fields : [];
}
