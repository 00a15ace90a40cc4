import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const CONSOLE_DIR = join(REPO_ROOT, 'dist/console');
export const PWA_DIR = join(REPO_ROOT, 'dist/pwa');
/** Git-ignored; README pictures are copied from here by hand. */
export const SCREENSHOTS = join(REPO_ROOT, 'test-output/screenshots');
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Nothing of Chromium's own goes to the network: no sync, no component updates, no background requests, no QUIC,
 * no proxy, and no name resolves but the loopback address, so nothing (a push service, a font, a map) is reached.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-proxy-server',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** `.ci/run` builds the web apps before the tests; a plain `npm test` builds one here when it is missing. */
function ensureBuilt(dir: string, script: string): void {
  if (existsSync(join(dir, 'index.html'))) return;
  execFileSync('npm', ['run', '-s', script], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export const ensureConsoleBuilt = (): void => ensureBuilt(CONSOLE_DIR, 'build:console');
export const ensurePwaBuilt = (): void => ensureBuilt(PWA_DIR, 'build:pwa');

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, in a fresh profile, with nothing of its own going to the network: no sync, no
 * component updates, no background requests, no QUIC, no proxy, no name resolution. The tests only ever open
 * loopback addresses. `args` are a test's own switches (a fake camera).
 */
export async function launchChromium(args: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  const profile = mkdtempSync(join(tmpdir(), 'bousai-chromium-'));
  // launchPersistentContext is Playwright's way to pass --user-data-dir: a new, empty one per run
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', ...CHROMIUM_ARGS, ...args],
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** axe-core (every rule it runs by default) on the page as it is: the serious and critical violations, none being the bar. */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', targets: v.nodes.map((n) => n.target.join(' ')) }));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
