/** What AccountSessions needs of a WebSocket (the `ws` package's). */
export interface SessionSocket {
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Sent to a client whose account was disabled (4000-4999: the application's own codes). */
export const ACCOUNT_DISABLED_CLOSE_CODE = 4403;

/**
 * The open WebSocket connections of each account. A connection is authenticated once, when it
 * opens, and its subscriptions run on that: disabling the account has to end them here, or they
 * would go on until the client disconnects.
 */
export class AccountSessions {
  private readonly byUser = new Map<string, Set<SessionSocket>>();

  track(userId: string, socket: SessionSocket): void {
    let sockets = this.byUser.get(userId);
    if (!sockets) this.byUser.set(userId, (sockets = new Set()));
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.byUser.get(userId) === sockets) this.byUser.delete(userId);
    });
  }

  /** Closes every connection of the account; answers how many there were. */
  closeAll(userId: string): number {
    const sockets = [...(this.byUser.get(userId) ?? [])];
    for (const socket of sockets) socket.close(ACCOUNT_DISABLED_CLOSE_CODE, 'account disabled');
    return sockets.length;
  }

  connections(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }
}
