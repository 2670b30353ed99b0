import { pino, type Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { UserRole } from '@nexus/schema';
import { loadConfig } from '../apps/server/src/config';
import { startNexus, type RunningNexus } from '../apps/server/src/server';
import { addUser } from '../apps/server/src/users/usersService';
import { createTestDatabase, type TestDatabase } from './testDatabase';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const TEST_JWT_SECRET = 'a-test-signing-secret-of-at-least-32-chars';

export interface TestServer {
  nexus: RunningNexus;
  url: string;
  /** The human lines `nexus start` printed. */
  lines: string[];
  /** An access token of a (created once) user with this role. */
  tokenFor(role: UserRole): Promise<string>;
  login(
    username: string,
    password: string,
  ): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>;
  close(): Promise<void>;
}

/**
 * A real Nexus server (HTTP + WebSocket, engine, relay) on port 0 against the suite's own
 * database, wired as `nexus start` wires it; quiet logs; rate limits out of the way unless given.
 */
export async function startTestServer(
  tdb: TestDatabase,
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: tdb.url,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    NEXUS_JWT_SECRET: TEST_JWT_SECRET,
    NEXUS_PARTITIONS: '4',
    NEXUS_WORKERS: '1',
    NEXUS_WORKER_CONCURRENCY: '2',
    NEXUS_BATCH_SIZE: '8',
    NEXUS_CONSUMER_GROUP: 'nexus-test',
    NEXUS_RATE_LIMIT_RPS: '100000',
    NEXUS_RATE_LIMIT_BURST: '100000',
    NEXUS_LOGIN_RATE_PER_MINUTE: '100000',
    // A model that retrains itself mid-test would change the decisions other tests assert on.
    NEXUS_RETRAIN_INTERVAL_SECONDS: '0',
    ...env,
  });
  const lines: string[] = [];
  const nexus = await startNexus(config, (line) => lines.push(line), undefined, {
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  const url = nexus.http.url;
  const tokens = new Map<UserRole, Promise<string>>();
  const login = async (username: string, password: string) => {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { accessToken: string; refreshToken: string; expiresIn: number };
  };
  const tokenFor = (role: UserRole) => {
    let token = tokens.get(role);
    if (!token) {
      token = (async () => {
        if (role === 'admin') return (await login('admin', ADMIN_PASSWORD)).accessToken;
        const password = `${role}-password-1`;
        await addUser(nexus.db, { username: `${role}-user`, role, password }, 'test');
        return (await login(`${role}-user`, password)).accessToken;
      })();
      tokens.set(role, token);
    }
    return token;
  };
  return {
    nexus,
    url,
    lines,
    tokenFor,
    login,
    close: async () => {
      const errors = await nexus.shutdown.shutdown();
      if (errors.length > 0) throw new Error(`shutdown: ${errors.join('; ')}`);
    },
  };
}

/**
 * A server on a database of its own for the suite (or describe block) that calls it: started
 * before its tests, stopped and dropped after them. Read `server` and `tdb` inside tests.
 */
export function useTestServer(env: Record<string, string> = {}): {
  readonly server: TestServer;
  readonly tdb: TestDatabase;
} {
  let tdb: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startTestServer(tdb, env);
  });
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });
  return {
    get server() {
      return server!;
    },
    get tdb() {
      return tdb!;
    },
  };
}
