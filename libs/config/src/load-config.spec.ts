import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  it('fills local defaults for a developer machine', () => {
    const cfg = loadConfig('api', {});
    expect(cfg).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bousai',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      HOST: '127.0.0.1',
    });
    expect(loadConfig('ingest', {}).PORT).toBe(3001);
    expect(loadConfig('fanout', {}).PORT).toBe(3002);
  });

  it('lists every invalid or missing key at once', () => {
    let error: unknown;
    try {
      loadConfig('api', {
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'production',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'PORT']);
    expect((error as ConfigError).message).toMatch(/JWT_SECRET: must be set in production/);
  });

  it('treats empty values as unset and coerces numbers and booleans', () => {
    const cfg = loadConfig('api', { PORT: '', LOGIN_MAX_FAILURES: '7', WEBPUSH_ALLOW_HTTP: 'true' });
    expect(cfg.PORT).toBe(3000);
    expect(cfg.LOGIN_MAX_FAILURES).toBe(7);
    expect(cfg.WEBPUSH_ALLOW_HTTP).toBe(true);
  });

  it('reads TRUST_PROXY as Express takes it, and refuses what is not an address, a CIDR or a hop count', () => {
    expect(loadConfig('api', {}).TRUST_PROXY).toBe(false);
    expect(loadConfig('api', { TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig('api', { TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(
      loadConfig('api', { TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.1' }).TRUST_PROXY,
    ).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
    for (const bad of ['10.0.0.0/33', 'proxy.example.jp', '10.0.0.1/8/1']) {
      expect(() => loadConfig('api', { TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it('admits the real push services only, and no loopback, unless WEBPUSH_*_ORIGINS say otherwise', () => {
    for (const app of ['api', 'fanout'] as const) {
      const cfg = loadConfig(app, {});
      expect(cfg.WEBPUSH_ALLOWED_ORIGINS).toEqual([
        'fcm.googleapis.com',
        'updates.push.services.mozilla.com',
        '*.push.services.mozilla.com',
        '*.push.apple.com',
        '*.notify.windows.com',
      ]);
      expect(cfg.WEBPUSH_LOOPBACK_ORIGINS).toEqual([]);
    }
    const fakes = loadConfig('fanout', {
      WEBPUSH_ALLOWED_ORIGINS: 'https://127.0.0.1:*, push.example.jp',
      WEBPUSH_LOOPBACK_ORIGINS: 'https://127.0.0.1:*',
    });
    expect(fakes.WEBPUSH_ALLOWED_ORIGINS).toEqual(['https://127.0.0.1:*', 'push.example.jp']);
    expect(fakes.WEBPUSH_LOOPBACK_ORIGINS).toEqual(['https://127.0.0.1:*']);
    expect(loadConfig('api', { WEBPUSH_ALLOWED_ORIGINS: '*' }).WEBPUSH_ALLOWED_ORIGINS).toEqual(['*']);
    // any host may not be loopback; a path, a bad wildcard or another scheme is no origin
    for (const [key, bad] of [
      ['WEBPUSH_LOOPBACK_ORIGINS', '*'],
      ['WEBPUSH_ALLOWED_ORIGINS', 'https://push.example.jp/wp'],
      ['WEBPUSH_ALLOWED_ORIGINS', '*push.apple.com'],
      ['WEBPUSH_ALLOWED_ORIGINS', 'ftp://push.example.jp'],
    ]) {
      expect(() => loadConfig('fanout', { [key]: bad })).toThrow(new RegExp(key));
    }
  });
});
