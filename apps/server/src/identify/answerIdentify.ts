import type { IdentifiedContact, IdentifyInput } from '@nexus/schema';
import { DomainError } from '../errors/domainError';
import type { Context } from '../trpc/context';
import { contactRequest } from './contactValues';
import { identifyContact } from './identifyContact';

/** Who the audit log names for an `/identify` call without a token (NEXUS_IDENTIFY_PUBLIC). */
export const PUBLIC_IDENTIFY_ACTOR = 'identify:public';

/**
 * One `/identify` call as every adapter (REST, tRPC) makes it: read and check the input, reconcile,
 * report the outcome (metrics, live overview), answer the contract's `{contact}`.
 */
export async function answerIdentify(
  ctx: Context,
  readInput: () => Promise<IdentifyInput>,
): Promise<{ contact: IdentifiedContact }> {
  const started = performance.now();
  const report = (result: 'answered' | 'invalid' | 'failed', created = 0, joined = 0) =>
    ctx.deps.identify.report({ result, created, joined, ms: performance.now() - started });
  let input: IdentifyInput;
  try {
    input = await readInput();
  } catch (error) {
    report(error instanceof DomainError ? 'invalid' : 'failed');
    throw error;
  }
  try {
    const request = contactRequest(input, ctx.deps.config.NEXUS_DEFAULT_COUNTRY);
    const result = await identifyContact(
      ctx.deps.db,
      request,
      ctx.principal?.username ?? PUBLIC_IDENTIFY_ACTOR,
    );
    report('answered', result.created, result.joined);
    return { contact: result.contact };
  } catch (error) {
    report('failed');
    throw error;
  }
}
