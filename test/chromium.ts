import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Debian's Chromium: the dashboard's end-to-end suites drive it (never a browser downloaded by a tool). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Makes sure Chromium is there before the e2e suites run. As root (CI, containers) it installs
 * Debian's package, as .ci/run does; otherwise it says what to run.
 */
export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM_PATH)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the dashboard's browser tests need Chromium at ${CHROMIUM_PATH}: run \`sudo apt-get install chromium\` (or set CHROMIUM_PATH)`,
    );
  }
  process.stderr.write('Installing Debian chromium for the dashboard browser tests (apt-get)...\n');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
