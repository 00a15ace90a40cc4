// @ts-check
/**
 * The one Vite convention of bousai's web apps (apps/console now, apps/pwa later): each app is served by the api
 * under its own path on the api's origin, builds into dist/<app> (the api's static folder), and keeps every script
 * in hashed files so the api's Content-Security-Policy needs no inline script.
 */
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * @param {{ name: string, base: string, root: string }} app
 * @returns {import('vite').UserConfig}
 */
export function webAppConfig(app) {
  return {
    root: app.root,
    base: app.base,
    // the generated client and shared code live in libs/web-client: let the dev server read them
    server: { fs: { allow: [repoRoot] }, proxy: devProxy() },
    // the domain's browser-safe entry (its enums and constants), as libs/web-client/tsconfig.json maps it
    resolve: { alias: { '@bousai/domain/browser': `${repoRoot}/libs/domain/src/browser.ts` } },
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir: `${repoRoot}/dist/${app.name}`,
      emptyOutDir: true,
      assetsDir: 'assets',
      sourcemap: true,
      // no inline script or data: modules: the CSP allows scripts from 'self' only
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        // libraries mark React Server Components' "use client"; a client-only bundle has nothing to keep
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  };
}

/** `vite dev` against a local api (npm run start:api): the api and its websockets on the dev server's origin. */
function devProxy() {
  const target = 'http://127.0.0.1:3000';
  return { '/v1': { target }, '/socket.io': { target, ws: true } };
}
