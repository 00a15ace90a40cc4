import type { AddressInfo } from 'node:net';
import type { Role } from '@bousai/domain';
import { PASSWORD, startApi, type ApiHarness, type Tenant } from '../../e2e/support/api-harness';
import { type Browser, CONSOLE_DIR, ensureConsoleBuilt, launchChromium } from './browser';

/** The built console served by the in-process api on a loopback port, and a Chromium that reaches only it. */
export interface ConsoleApi {
  sut: ApiHarness;
  browser: Browser;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The first municipality (安来市), whose operators sign in. */
  tenant: Tenant;
  /** `/v1/municipalities/<tenant>` */
  api: string;
  /** An Authorization header of the tenant's operator of this role. */
  bearer(role: Role): Promise<readonly ['Authorization', string]>;
  /** Opens `/console<path>` and signs in there as the tenant's operator of this role. */
  signIn(role: Role, path?: string): Promise<void>;
  signOut(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the api with the console (and `env`), listening on 127.0.0.1, and Chromium: a request anywhere but this
 * api is aborted, so a test that would reach out fails.
 */
export async function startConsoleApi(env: Record<string, string> = {}): Promise<ConsoleApi> {
  ensureConsoleBuilt();
  const sut = await startApi({ CONSOLE_DIR, ...env });
  await sut.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
  const browser = await launchChromium();
  await browser.context.route(
    (url) => url.origin !== base,
    (route) => route.abort('blockedbyclient'),
  );
  const [tenant] = sut.tenants;
  const { page } = browser;
  return {
    sut,
    browser,
    base,
    tenant,
    api: `/v1/municipalities/${tenant.municipalityId}`,
    bearer: async (role) => ['Authorization', `Bearer ${await sut.token(tenant, role)}`] as const,
    async signIn(role, path = '/') {
      await page.goto(`${base}/console${path}`);
      await page.getByRole('heading', { name: 'ログイン' }).waitFor();
      await page.getByLabel('メールアドレス').fill(tenant.operators[role].email);
      await page.getByLabel('パスワード').fill(PASSWORD);
      await page.keyboard.press('Enter');
    },
    async signOut() {
      await page.getByRole('button', { name: 'ログアウト', exact: true }).click();
      await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    },
    async close() {
      await browser.close();
      await sut.close();
    },
  };
}
