import { DomainError } from '../errors/domainError';
import type { WsConnection } from './context';

/**
 * Takes one of the connection's subscription places (at most `max`) before the subscription
 * starts, so calls arriving together cannot all slip under the limit; refused beyond `max`, with
 * the limit named. Answers the function that gives the place back (once, however often called).
 */
export function takeSubscriptionPlace(connection: WsConnection, max: number): () => void {
  if (connection.subscriptions >= max) {
    throw new DomainError(
      'REQUEST.TOO_MANY_SUBSCRIPTIONS',
      `this connection has ${connection.subscriptions} subscriptions, the most allowed (NEXUS_WS_MAX_SUBSCRIPTIONS): stop one first`,
    );
  }
  connection.subscriptions++;
  let held = true;
  return () => {
    if (held) connection.subscriptions--;
    held = false;
  };
}

/** The subscription's values, giving its place back when it ends, fails or is returned (stopped, or the client left). */
export function releasingWhenDone<T>(result: AsyncIterable<T>, release: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = result[Symbol.asyncIterator]();
      return {
        async next() {
          try {
            const step = await inner.next();
            if (step.done) release();
            return step;
          } catch (error) {
            release();
            throw error;
          }
        },
        async return(value?: unknown) {
          release();
          return inner.return ? inner.return(value) : { done: true as const, value: undefined as T };
        },
      };
    },
  };
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
