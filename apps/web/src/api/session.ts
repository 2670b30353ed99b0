import type { UserRole } from '@nexus/schema/roles';

export interface SessionUser {
  userId: string;
  username: string;
  role: UserRole;
  kind: 'person' | 'service';
  via: 'access_token' | 'api_key';
}

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signedOut'; notice?: string }
  | { status: 'signedIn'; user: SessionUser };

interface SessionReply {
  accessToken: string;
  expiresIn: number;
  user: SessionUser;
}

/** Refresh this long before the access token expires, so no request ever carries a stale one. */
const REFRESH_MARGIN_MS = 60_000;
const SESSION_URL = '/api/v1/session';
const HEADERS = { 'x-nexus-dashboard': '1' };

export class SessionError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function readReply(res: Response): Promise<SessionReply> {
  if (res.ok) return (await res.json()) as SessionReply;
  let message = `the server answered ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  throw new SessionError(message, res.status);
}

/**
 * The signed-in user and their access token, kept in memory only (docs/decisions/0016): the
 * refresh token is an HttpOnly cookie the page cannot read. A reload restores the session from
 * the cookie; refreshes are serialised across tabs (Web Locks) because the server rotates refresh
 * tokens and treats a token presented twice as stolen.
 */
export class Session {
  private state: SessionState = { status: 'restoring' };
  private token: { value: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {}

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(state: SessionState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  private accept(reply: SessionReply): string {
    this.token = { value: reply.accessToken, expiresAt: Date.now() + reply.expiresIn * 1000 };
    const current = this.state;
    if (
      current.status !== 'signedIn' ||
      current.user.userId !== reply.user.userId ||
      current.user.role !== reply.user.role
    ) {
      this.set({ status: 'signedIn', user: reply.user });
    }
    return reply.accessToken;
  }

  /** On page load: signed in again from the cookie, or signed out without a word. */
  async restore(): Promise<void> {
    try {
      await this.refresh();
    } catch {
      if (this.state.status === 'restoring') this.set({ status: 'signedOut' });
    }
  }

  async signIn(username: string, password: string): Promise<void> {
    const res = await this.fetchImpl(SESSION_URL, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    this.accept(await readReply(res));
  }

  async signOut(notice?: string): Promise<void> {
    this.token = null;
    try {
      await this.fetchImpl(SESSION_URL, { method: 'DELETE', credentials: 'same-origin', headers: HEADERS });
    } finally {
      this.set({ status: 'signedOut', ...(notice ? { notice } : {}) });
    }
  }

  /** The access token for the next request, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - Date.now() > REFRESH_MARGIN_MS) return this.token.value;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<string> {
    const post = async () => {
      // Another tab may have refreshed while this one waited for the lock: its token is not ours,
      // but the cookie now holds the successor, which is what we present.
      const res = await this.fetchImpl(`${SESSION_URL}/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: HEADERS,
      });
      return readReply(res);
    };
    try {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      const reply = locks ? await locks.request('nexus-session-refresh', post) : await post();
      return this.accept(reply);
    } catch (error) {
      if (error instanceof SessionError && error.status === 401 && this.state.status === 'signedIn') {
        this.token = null;
        this.set({ status: 'signedOut', notice: 'Your session ended: sign in again.' });
      }
      throw error;
    }
  }
}
