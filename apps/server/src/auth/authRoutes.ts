import { loginInput, refreshInput } from '@nexus/schema';
import { jsonBody, type RestRoute } from '../rest/restRoute';
import { refresh } from './authService';
import { throttledLogin } from './throttledAuth';

/** Signing in over REST: the same services as the tRPC `auth` procedures. */
export const AUTH_ROUTES: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    level: 'public',
    summary: 'Sign in: an access token (JWT) and a refresh token',
    handle: async (ctx, req) => ({
      status: 200,
      body: await throttledLogin(ctx, await jsonBody(ctx, req, loginInput)),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/refresh',
    level: 'public',
    summary: 'A new token pair for a refresh token (which is spent)',
    handle: async (ctx, req) => {
      const input = await jsonBody(ctx, req, refreshInput);
      return { status: 200, body: await refresh(ctx.deps.auth, input.refreshToken) };
    },
  },
];
