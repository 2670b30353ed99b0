import { DomainError } from '../errors/domainError';
import { addressKey } from '../http/trustedProxies';
import type { Context } from '../trpc/context';
import { SESSION_ENDED_CLOSE_CODE } from '../users/accountSessions';
import { InvalidCredentialsError } from './authErrors';
import { changePassword, login } from './authService';
import type { Principal } from './roles';
import { usernameForLog } from './usernameReference';

/**
 * Sign-ins are throttled per client address (NEXUS_LOGIN_RATE_PER_MINUTE), failures logged: the
 * username only when such an account exists (else it may be a password typed in the wrong field).
 */
export async function throttledLogin(
  ctx: Pick<Context, 'deps' | 'clientAddress' | 'log'>,
  input: { username: string; password: string },
) {
  const allowed = ctx.deps.loginLimiter.take(addressKey(ctx.clientAddress));
  if (!allowed.ok) {
    ctx.log.warn(
      { client: ctx.clientAddress, ...usernameForLog(input.username, false) },
      'sign-in throttled',
    );
    throw new DomainError(
      'REQUEST.RATE_LIMITED',
      `too many sign-in attempts: try again in ${allowed.retryAfterSeconds} s`,
    );
  }
  try {
    return await login(ctx.deps.auth, input);
  } catch (error) {
    const exists = error instanceof InvalidCredentialsError && error.accountExists;
    ctx.log.warn({ client: ctx.clientAddress, ...usernameForLog(input.username, exists) }, 'sign-in failed');
    throw error;
  }
}

/**
 * Changing the password needs the current one, so it is throttled as sign-ins are (per account:
 * a stolen access token must not become a password-guessing oracle). The account's other
 * sessions end, their open WebSockets too.
 */
export async function throttledChangePassword(
  ctx: Pick<Context, 'deps' | 'log' | 'token'> & { principal: Principal },
  input: { currentPassword: string; newPassword: string },
) {
  const allowed = ctx.deps.loginLimiter.take(`password:${ctx.principal.userId}`);
  if (!allowed.ok) {
    ctx.log.warn({ user: ctx.principal.username }, 'password change throttled');
    throw new DomainError(
      'REQUEST.RATE_LIMITED',
      `too many password changes: try again in ${allowed.retryAfterSeconds} s`,
    );
  }
  const sessionId = ctx.token?.sessionId;
  try {
    await changePassword(ctx.deps.auth, ctx.principal, input, sessionId);
  } catch (error) {
    ctx.log.warn({ user: ctx.principal.username }, 'password change refused');
    throw error;
  }
  ctx.deps.sessions.closeAll(ctx.principal.userId, {
    code: SESSION_ENDED_CLOSE_CODE,
    reason: 'signed out: the password was changed',
    except: sessionId,
  });
  return { changed: true };
}
