import { loadedPackages } from '@bousai/testing';

/** docs/architecture.md §3: the api sends no alert to a provider, so it loads none of their SDKs. */
const PROVIDER_SDKS = ['firebase-admin', 'web-push', 'nodemailer', 'undici', 'oauth-1.0a'];

/** Each probe compiles a whole app from source in a process of its own: slow on a busy 2-core box. */
const PROBE_TIMEOUT_MS = 180_000;

describe('what the api loads', () => {
  it(
    'loads no provider SDK: its module graph (main.ts less the listen) takes channels from the light entry only',
    async () => {
      const loaded = await loadedPackages(['apps/api/src/app.module.ts', 'apps/api/src/configure-app.ts']);
      // the probe saw the api's own graph: Nest, TypeORM, the receiver bus's socket.io adapter
      expect(loaded).toEqual(expect.arrayContaining(['@nestjs/core', 'typeorm', '@socket.io/redis-adapter']));
      expect(loaded.filter((name) => PROVIDER_SDKS.includes(name))).toEqual([]);
    },
    PROBE_TIMEOUT_MS,
  );

  it(
    'tells a graph that does load them: the fanout, which sends',
    async () => {
      const loaded = await loadedPackages(['apps/fanout/src/fanout.module.ts']);
      expect(loaded).toEqual(expect.arrayContaining(['firebase-admin', 'web-push', 'nodemailer']));
    },
    PROBE_TIMEOUT_MS,
  );
});
