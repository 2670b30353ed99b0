/** What AccountSessions needs of a WebSocket (the `ws` package's). */
export interface SessionSocket {
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Sent to a client whose account was disabled (4000-4999: the application's own codes). */
export const ACCOUNT_DISABLED_CLOSE_CODE = 4403;
/** Sent when the connection's sign-in session ended (signed out, password changed elsewhere): sign in again. */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/** The session a connection opened with an API key belongs to: revoking the key ends it. */
export function apiKeySession(keyId: string): string {
  return `api-key:${keyId}`;
}

/**
 * The open WebSocket connections of each account. A connection is authenticated once, when it
 * opens, and its subscriptions run on that: disabling the account or ending the session has to
 * end them here, or they would go on until the client disconnects.
 */
export class AccountSessions {
  private readonly byUser = new Map<string, Map<SessionSocket, string | undefined>>();

  /** `sessionId`: the sign-in session of the access token the connection opened with (none for API keys). */
  track(userId: string, socket: SessionSocket, sessionId?: string): void {
    let sockets = this.byUser.get(userId);
    if (!sockets) this.byUser.set(userId, (sockets = new Map<SessionSocket, string | undefined>()));
    sockets.set(socket, sessionId);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.byUser.get(userId) === sockets) this.byUser.delete(userId);
    });
  }

  /** Closes every connection of the account (but those of session `except`); answers how many. */
  closeAll(
    userId: string,
    how: { code: number; reason: string; except?: string | undefined } = {
      code: ACCOUNT_DISABLED_CLOSE_CODE,
      reason: 'account disabled',
    },
  ): number {
    const sockets = [...(this.byUser.get(userId) ?? [])].filter(
      ([, session]) => how.except === undefined || session !== how.except,
    );
    for (const [socket] of sockets) socket.close(how.code, how.reason);
    return sockets.length;
  }

  /** Closes the connections of one session (signed out, key revoked); that is rare, so it walks them all. */
  closeSession(sessionId: string, reason = 'signed out'): number {
    let closed = 0;
    for (const sockets of [...this.byUser.values()])
      for (const [socket, session] of [...sockets])
        if (session === sessionId) {
          socket.close(SESSION_ENDED_CLOSE_CODE, reason);
          closed++;
        }
    return closed;
  }

  connections(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }
}
