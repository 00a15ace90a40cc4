import type { LookupAddress, LookupOptions } from 'node:dns';
import { OutboundAddressPolicy } from '@bousai/domain';
import { EgressRefusedError, PushEgressGuard, type ResolveAll } from './push-egress.guard';

/** A resolver that knows a few made-up names and records what it was asked: nothing leaves the process. */
function fakeResolver(zone: Record<string, string[]>): ResolveAll & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string) => {
    asked.push(hostname);
    const answers = zone[hostname];
    if (!answers) {
      const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      err.code = 'ENOTFOUND';
      return Promise.reject(err);
    }
    return Promise.resolve(answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(resolve, { asked });
}

/** What `net.connect` would get from the guard's `lookup`. */
function lookup(
  sut: PushEgressGuard,
  hostname: string,
  options: LookupOptions = { all: true },
): Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve) =>
    sut.lookup(hostname, options, (err, address, family) => resolve({ err, address, family })),
  );
}

describe(PushEgressGuard.name, () => {
  const policy = new OutboundAddressPolicy({
    allowedOrigins: ['*.push.example.test', 'https://fake.example.test:*'],
    loopbackOrigins: ['https://fake.example.test:*'],
  });
  const zone = {
    'good.push.example.test': ['142.250.196.106', '2a00:1450:4001:80b::200a'],
    'loop.push.example.test': ['127.0.0.1'],
    'meta.push.example.test': ['169.254.169.254'],
    'lan.push.example.test': ['10.0.0.1'],
    'cgnat.push.example.test': ['100.64.0.7'],
    'mixed.push.example.test': ['142.250.196.106', '192.168.0.10'],
    'v6loop.push.example.test': ['2a00:1450:4001:80b::200a', '::1'],
    'ula.push.example.test': ['fd00::1'],
    'mapped.push.example.test': ['::ffff:169.254.169.254'],
    'nat64.push.example.test': ['64:ff9b::a00:1'],
    'fake.example.test': ['127.0.0.1', '::1'],
  };

  it.each([
    ['loop.push.example.test', 'loopback'],
    ['meta.push.example.test', 'link-local'],
    ['lan.push.example.test', 'private'],
    ['cgnat.push.example.test', 'carrier-grade-nat'],
    ['mixed.push.example.test', 'private'],
    ['v6loop.push.example.test', 'loopback'],
    ['ula.push.example.test', 'private'],
    ['mapped.push.example.test', 'link-local'],
    ['nat64.push.example.test', 'private'],
  ])('refuses to hand a socket the addresses of %s (%s)', async (hostname, reason) => {
    const sut = new PushEgressGuard(policy, fakeResolver(zone));
    for (const options of [{ all: true }, {}, { family: 4 }, { family: 6, all: true }] as LookupOptions[]) {
      const { err, address } = await lookup(sut, hostname, options);
      expect(err).toBeInstanceOf(EgressRefusedError);
      expect(err).toMatchObject({
        code: `EGRESS_REFUSED_${reason.toUpperCase().replace(/-/g, '_')}`,
        reason,
      });
      expect(address).toBe('');
    }
  });

  it('remembers a refused name for a while instead of asking the resolver on every push', async () => {
    const resolve = fakeResolver(zone);
    const sut = new PushEgressGuard(policy, resolve);
    await lookup(sut, 'meta.push.example.test');
    const again = await lookup(sut, 'meta.push.example.test');
    expect(again.err).toMatchObject({ code: 'EGRESS_REFUSED_LINK_LOCAL', reason: 'link-local' });
    await lookup(sut, 'good.push.example.test');
    await lookup(sut, 'good.push.example.test');
    // public answers are not cached here: each new connection resolves afresh
    expect(resolve.asked).toEqual([
      'meta.push.example.test',
      'good.push.example.test',
      'good.push.example.test',
    ]);
  });

  it('hands public answers over in the shape the socket asked for', async () => {
    const sut = new PushEgressGuard(policy, fakeResolver(zone));
    expect(await lookup(sut, 'good.push.example.test', { all: true })).toEqual({
      err: null,
      address: [
        { address: '142.250.196.106', family: 4 },
        { address: '2a00:1450:4001:80b::200a', family: 6 },
      ],
      family: undefined,
    });
    expect(await lookup(sut, 'good.push.example.test', {})).toEqual({
      err: null,
      address: '142.250.196.106',
      family: 4,
    });
    expect(await lookup(sut, 'good.push.example.test', { family: 6 })).toEqual({
      err: null,
      address: '2a00:1450:4001:80b::200a',
      family: 6,
    });
  });

  it('lets loopback through only for a name listed as a loopback origin', async () => {
    const sut = new PushEgressGuard(policy, fakeResolver(zone));
    expect((await lookup(sut, 'fake.example.test', {})).address).toBe('127.0.0.1');
  });

  it('passes resolver errors on as they are (a name that does not resolve is retried like any outage)', async () => {
    const sut = new PushEgressGuard(policy, fakeResolver(zone));
    const { err } = await lookup(sut, 'missing.push.example.test');
    expect(err).toMatchObject({ code: 'ENOTFOUND' });
    expect(err).not.toBeInstanceOf(EgressRefusedError);
  });

  it('decides on an endpoint before any DNS, and remembers the verdict per origin', () => {
    const resolve = fakeResolver(zone);
    const sut = new PushEgressGuard(policy, resolve);
    expect(sut.refusal(new URL('https://good.push.example.test/a'))).toBeUndefined();
    expect(sut.refusal(new URL('https://good.push.example.test/b'))).toBeUndefined();
    // userinfo is not part of the origin: an allowed origin does not carry it through
    expect(sut.refusal(new URL('https://u:p@good.push.example.test/a'))).toMatchObject({
      reason: 'userinfo',
    });
    expect(sut.refusal(new URL('https://10.0.0.1/a'))).toMatchObject({ reason: 'private' });
    expect(sut.refusal(new URL('https://[::ffff:a9fe:a9fe]/a'))).toMatchObject({ reason: 'link-local' });
    expect(sut.refusal(new URL('https://localhost/a'))).toMatchObject({ reason: 'local-name' });
    expect(sut.refusal(new URL('https://push.elsewhere.test/a'))).toMatchObject({ reason: 'not-allowed' });
    expect(resolve.asked).toEqual([]);
  });
});
