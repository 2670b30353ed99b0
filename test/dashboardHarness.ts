import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import type { UserRole } from '@nexus/schema';
import { addUser } from '../apps/server/src/users/usersService';
import { CHROMIUM_PATH } from './chromium';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './serverHarness';
import type { TestDatabase } from './testDatabase';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../docs/screenshots');

export interface Dashboard {
  server: TestServer;
  browser: Browser;
  /** A new browser context (its own cookies) with one page, signed in with this role. */
  signedIn(role: UserRole): Promise<{ context: BrowserContext; page: Page }>;
  /** A new context and page, not signed in. */
  fresh(): Promise<{ context: BrowserContext; page: Page }>;
  /** Stops the server and starts a new one on the same port and database, as a deploy or crash restart would. */
  restartServer(): Promise<void>;
  /** Saves a screenshot of the page to docs/screenshots/NAME.png (linked from the README). */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

const passwordOf = (role: UserRole) => (role === 'admin' ? ADMIN_PASSWORD : `${role}-password-1`);

/**
 * A real server (embedded or given Postgres, engine, Tech5 simulator) serving the dashboard built
 * by test/globalSetup.ts, and Debian's Chromium, headless, at a laptop's 1280 x 800.
 */
export async function startDashboard(
  tdb: TestDatabase,
  env: Record<string, string> = {},
): Promise<Dashboard> {
  const dashboardDir = inject('dashboardDir');
  if (!dashboardDir)
    throw new Error('the dashboard was not built: run the e2e suites through vitest (globalSetup)');
  let server = await startTestServer(tdb, { NEXUS_DASHBOARD_DIR: dashboardDir, ...env });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  const users = new Set<UserRole>(['admin']);
  const fresh = async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    return { context, page };
  };
  return {
    get server() {
      return server;
    },
    browser,
    fresh,
    signedIn: async (role) => {
      if (!users.has(role)) {
        await addUser(
          server.nexus.db,
          { username: `${role}-user`, role, password: passwordOf(role) },
          'test',
        );
        users.add(role);
      }
      const { context, page } = await fresh();
      await page.goto('/');
      await page.getByLabel('Username').fill(role === 'admin' ? 'admin' : `${role}-user`);
      await page.getByLabel('Password').fill(passwordOf(role));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return { context, page };
    },
    restartServer: async () => {
      const port = String(server.nexus.http.port);
      await server.close();
      server = await startTestServer(tdb, { NEXUS_DASHBOARD_DIR: dashboardDir, ...env, PORT: port });
    },
    screenshot: async (page, name) => {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}
