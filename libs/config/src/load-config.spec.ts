import { ConfigError, loadConfig } from './load-config';
import { mapTileSource, usesPublicJwtSecret } from './schema';

describe(loadConfig.name, () => {
  const dev = { NODE_ENV: 'development' };

  it('fills local defaults for a developer machine', () => {
    const cfg = loadConfig('api', dev);
    expect(cfg).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bousai',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      HOST: '127.0.0.1',
    });
    expect(loadConfig('ingest', {}).PORT).toBe(3001);
    expect(loadConfig('ingest', {}).NODE_ENV).toBe('production');
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
    expect((error as ConfigError).message).toMatch(/JWT_SECRET: must be set to a private key/);
  });

  describe('JWT_SECRET', () => {
    const secret = 'a-private-key-of-forty-characters-0123456';
    const problem = (env: Record<string, string>) => {
      try {
        loadConfig('api', env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.find((p) => p.key === 'JWT_SECRET')?.message;
      }
      return undefined;
    };

    it('is required when NODE_ENV is unset: a forgotten variable does not boot with the public key', () => {
      expect(problem({})).toMatch(/openssl rand -hex 32.*unless NODE_ENV is development or test/);
      expect(problem({ NODE_ENV: 'production' })).toMatch(/must be set to a private key/);
    });

    it('refuses the public development key and short keys in production', () => {
      const publicKey = loadConfig('api', dev).JWT_SECRET;
      expect(problem({ NODE_ENV: 'production', JWT_SECRET: publicKey })).toMatch(/private key/);
      expect(problem({ NODE_ENV: 'production', JWT_SECRET: 'short-secret' })).toMatch(
        /at least 32 characters/,
      );
      expect(problem({ NODE_ENV: 'development', JWT_SECRET: 'short-secret' })).toMatch(/at least 32/);
    });

    it('takes a private key in production, and falls back to the public key only in development or test', () => {
      const cfg = loadConfig('api', { JWT_SECRET: secret });
      expect(cfg.NODE_ENV).toBe('production');
      expect(cfg.JWT_SECRET).toBe(secret);
      expect(usesPublicJwtSecret(cfg)).toBe(false);
      for (const NODE_ENV of ['development', 'test']) {
        expect(usesPublicJwtSecret(loadConfig('api', { NODE_ENV }))).toBe(true);
        expect(loadConfig('api', { NODE_ENV, JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
      }
    });
  });

  it('treats empty values as unset and coerces numbers and booleans', () => {
    const cfg = loadConfig('api', { ...dev, PORT: '', LOGIN_MAX_FAILURES: '7', WEBPUSH_ALLOW_HTTP: 'true' });
    expect(cfg.PORT).toBe(3000);
    expect(cfg.LOGIN_MAX_FAILURES).toBe(7);
    expect(cfg.WEBPUSH_ALLOW_HTTP).toBe(true);
  });

  it('reads TRUST_PROXY as Express takes it, and refuses what is not an address, a CIDR or a hop count', () => {
    expect(loadConfig('api', dev).TRUST_PROXY).toBe(false);
    expect(loadConfig('api', { ...dev, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig('api', { ...dev, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(
      loadConfig('api', { ...dev, TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.1' }).TRUST_PROXY,
    ).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
    for (const bad of ['10.0.0.0/33', 'proxy.example.jp', '10.0.0.1/8/1']) {
      expect(() => loadConfig('api', { TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it('admits the real push services only, and no loopback, unless WEBPUSH_*_ORIGINS say otherwise', () => {
    for (const app of ['api', 'fanout'] as const) {
      const cfg = loadConfig(app, { NODE_ENV: 'test' });
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
      NODE_ENV: 'test',
      WEBPUSH_ALLOWED_ORIGINS: 'https://127.0.0.1:*, push.example.jp',
      WEBPUSH_LOOPBACK_ORIGINS: 'https://127.0.0.1:*',
    });
    expect(fakes.WEBPUSH_ALLOWED_ORIGINS).toEqual(['https://127.0.0.1:*', 'push.example.jp']);
    expect(fakes.WEBPUSH_LOOPBACK_ORIGINS).toEqual(['https://127.0.0.1:*']);
    expect(
      loadConfig('api', { NODE_ENV: 'test', WEBPUSH_ALLOWED_ORIGINS: '*' }).WEBPUSH_ALLOWED_ORIGINS,
    ).toEqual(['*']);
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

  it('takes a map tile template with its attribution, and derives the CSP source the console may load tiles from', () => {
    expect(loadConfig('api', dev).CONSOLE_MAP_TILES_URL).toBeUndefined();
    const gsi = 'https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png';
    const cfg = loadConfig('api', {
      ...dev,
      CONSOLE_MAP_TILES_URL: gsi,
      CONSOLE_MAP_TILES_ATTRIBUTION: ' 地理院タイル ',
    });
    expect(cfg).toMatchObject({ CONSOLE_MAP_TILES_URL: gsi, CONSOLE_MAP_TILES_ATTRIBUTION: '地理院タイル' });
    expect(mapTileSource(gsi)).toBe('https://cyberjapandata.gsi.go.jp');
    expect(mapTileSource('https://{s}.Tile.example.jp:8443/{z}/{x}/{y}{r}.png')).toBe(
      'https://*.tile.example.jp:8443',
    );
    // the attribution is required with tiles; a template without the tile numbers, or another scheme, is refused
    expect(() => loadConfig('api', { ...dev, CONSOLE_MAP_TILES_URL: gsi })).toThrow(
      /CONSOLE_MAP_TILES_ATTRIBUTION/,
    );
    for (const bad of [
      'https://tile.example.jp/tiles.png',
      'ftp://tile.example.jp/{z}/{x}/{y}.png',
      'https://tile.example.jp {z}/{x}/{y}',
      "https://tile.example.jp/{z}/{x}/{y}.png'; script-src *",
      'https://{z}.example.jp/{z}/{x}/{y}.png',
    ]) {
      expect(() =>
        loadConfig('api', { ...dev, CONSOLE_MAP_TILES_URL: bad, CONSOLE_MAP_TILES_ATTRIBUTION: 'x' }),
      ).toThrow(/CONSOLE_MAP_TILES_URL/);
    }
  });
});
