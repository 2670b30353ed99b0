import { DomainError } from '../errors/domainError';
import { toTRPCError } from '../errors/errorMapping';

/**
 * A subscription's domain errors as their mapped tRPC code (a batch that is not the caller's is
 * NOT_FOUND), as for queries: the procedures' middleware only sees the generator being made,
 * not the errors it throws while it runs, which tRPC would otherwise send as internal errors.
 */
export async function* domainErrorsMapped<T>(events: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* events;
  } catch (error) {
    if (error instanceof DomainError) throw toTRPCError(error);
    throw error;
  }
}
