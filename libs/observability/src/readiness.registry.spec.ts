import { Logger } from '@nestjs/common';
import { ReadinessRegistry } from './readiness.registry';

describe(ReadinessRegistry.name, () => {
  let sut: ReadinessRegistry;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  beforeEach(() => {
    sut = new ReadinessRegistry();
  });

  it('is ready with no checks, and when every check passes', async () => {
    expect(await sut.report()).toEqual({ ok: true, checks: {} });
    sut.register('postgres', () => Promise.resolve());
    const report = await sut.report();
    expect(report).toEqual({ ok: true, checks: { postgres: { ok: true, ms: expect.any(Number) } } });
  });

  it('names the failing check and its error, credentials scrubbed', async () => {
    sut.register('postgres', () => Promise.resolve());
    sut.register('redis', () =>
      Promise.reject(new Error('connect ECONNREFUSED redis://u:pw@127.0.0.1:6390')),
    );
    const report = await sut.report();
    expect(report.ok).toBe(false);
    expect(report.checks.postgres.ok).toBe(true);
    expect(report.checks.redis).toMatchObject({
      ok: false,
      error: 'connect ECONNREFUSED redis://[redacted]@127.0.0.1:6390',
    });
  });

  it('fails a check that does not answer within the timeout', async () => {
    sut.register('hung', () => new Promise<void>(() => undefined));
    const report = await sut.report(50);
    expect(report.checks.hung).toMatchObject({ ok: false, error: 'timed out after 50 ms' });
  });

  it('refuses the same name twice', () => {
    sut.register('redis', () => Promise.resolve());
    expect(() => sut.register('redis', () => Promise.resolve())).toThrow(/registered twice/);
  });
});
