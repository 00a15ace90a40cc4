import { internalRangeOf, isOutboundOriginPattern, OutboundAddressPolicy } from './outbound-address';

const KNOWN_PUSH_SERVICES = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

describe(internalRangeOf.name, () => {
  it.each([
    // IPv4 loopback, RFC 1918, link-local (cloud metadata), CGNAT, multicast, unspecified, broadcast
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    // special-purpose: IETF protocol assignments, documentation, benchmarking, 6to4 relay, future use, AS112, AMT
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.175.48.1', 'reserved'],
    ['192.52.193.1', 'reserved'],
    // IPv6 loopback, unspecified, link-local (with zone), ULA, site-local, multicast
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    // IPv4-mapped (RFC 4291) and -translated (RFC 6145) forms reach the IPv4 address they carry
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:100.64.0.1', 'carrier-grade-nat'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:192.168.0.1', 'private'],
    // deprecated IPv4-compatible form: never a push service, whatever it carries
    ['::127.0.0.1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
    // NAT64 well-known prefix (RFC 6052) carries the IPv4 address; the local-use prefix (RFC 8215) is internal
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::10.1.2.3', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b:1::8.8.8.8', 'reserved'],
    // tunnels (6to4, Teredo), documentation, discard, ORCHID, outside 2000::/3
    ['2002:7f00:1::1', 'reserved'],
    ['2002:808:808::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:20::1', 'reserved'],
    ['4000::1', 'reserved'],
    // not an IP literal at all
    ['localhost', 'reserved'],
    ['127.1', 'reserved'],
    ['', 'reserved'],
  ])('%s is %s', (address, range) => {
    expect(internalRangeOf(address)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '142.250.196.106',
    '17.57.146.20',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.32.0.1',
    '2a00:1450:4001:80b::200a',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:0:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '[2a00:1450:4001:80b::200a]',
  ])('%s is public', (address) => {
    expect(internalRangeOf(address)).toBeUndefined();
  });
});

describe(OutboundAddressPolicy.name, () => {
  const sut = new OutboundAddressPolicy({ allowedOrigins: KNOWN_PUSH_SERVICES });
  const anyHost = OutboundAddressPolicy.anyPublicHost();

  it.each([
    'https://fcm.googleapis.com/fcm/send/abc:APA91b',
    'https://fcm.googleapis.com/wp/abc',
    'https://FCM.googleapis.com./fcm/send/abc',
    'https://updates.push.services.mozilla.com/wpush/v2/gAAAA',
    'https://updates-autopush.stage.mozaws.net.push.services.mozilla.com/wpush/v2/x',
    'https://web.push.apple.com/QGuQyavXutnMH',
    'https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB',
    'https://fcm.googleapis.com:443/fcm/send/abc',
  ])('admits the known push service endpoint %s', (url) => {
    expect(sut.checkUrl(url)).toMatchObject({ ok: true });
  });

  it.each([
    // the probes
    ['https://127.0.0.1:4000/push', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://10.0.0.1/push', 'private'],
    ['https://[::1]/push', 'loopback'],
    ['https://user:pass@fcm.googleapis.com/fcm/send/abc', 'userinfo'],
    ['https://user@fcm.googleapis.com/fcm/send/abc', 'userinfo'],
    // the same addresses spelt otherwise: the URL parser normalises them before the check
    ['https://2130706433/push', 'loopback'],
    ['https://0x7f.1/push', 'loopback'],
    ['https://0177.0.0.1/push', 'loopback'],
    ['https://[::ffff:127.0.0.1]/push', 'loopback'],
    ['https://[::ffff:169.254.169.254]/push', 'link-local'],
    ['https://[64:ff9b::10.0.0.1]/push', 'private'],
    ['https://[::127.0.0.1]/push', 'reserved'],
    ['https://[fd00::1]/push', 'private'],
    ['https://[fe80::1]/push', 'link-local'],
    ['https://0.0.0.0/push', 'unspecified'],
    ['https://100.64.1.1/push', 'carrier-grade-nat'],
    ['https://224.0.0.1/push', 'multicast'],
    ['https://255.255.255.255/push', 'broadcast'],
    ['https://192.0.2.1/push', 'reserved'],
    // names for this host or the local network
    ['https://localhost/push', 'local-name'],
    ['https://LOCALHOST./push', 'local-name'],
    ['https://push.localhost/push', 'local-name'],
    ['https://printer.local/push', 'local-name'],
    ['https://metadata.google.internal/computeMetadata', 'local-name'],
    ['https://router.home.arpa/push', 'local-name'],
    ['https://metadata/push', 'local-name'],
    // scheme, shape, allow-list
    ['http://fcm.googleapis.com/fcm/send/abc', 'scheme'],
    ['ftp://fcm.googleapis.com/x', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['not a url', 'not-a-url'],
    [`https://fcm.googleapis.com/${'a'.repeat(2048)}`, 'too-long'],
    ['https://push.example.com/x', 'not-allowed'],
    ['https://fcm.googleapis.com.evil.example/x', 'not-allowed'],
    ['https://evilfcm.googleapis.com/x', 'not-allowed'],
    ['https://push.apple.com/x', 'not-allowed'],
    ['https://push.apple.com.evil.example/x', 'not-allowed'],
    ['https://fcm.googleapis.com:8443/fcm/send/abc', 'not-allowed'],
    ['https://8.8.8.8/push', 'not-allowed'],
  ])('refuses %s (%s) without resolving it', (url, reason) => {
    expect(sut.checkUrl(url)).toMatchObject({ ok: false, reason });
  });

  it('names the refused address and never echoes the path (it carries the subscription secret)', () => {
    const verdict = sut.checkUrl('https://169.254.169.254/secret-token');
    expect(verdict).toEqual({
      ok: false,
      reason: 'link-local',
      message: '169.254.169.254 is a link-local address',
      address: '169.254.169.254',
    });
    expect(JSON.stringify(sut.checkUrl('https://push.example.com/secret-token'))).not.toContain('secret');
  });

  it('with `*` admits any public host, and still refuses internal ones', () => {
    expect(anyHost.checkUrl('https://push.example.com/x')).toMatchObject({ ok: true });
    expect(anyHost.checkUrl('https://8.8.8.8/x')).toMatchObject({ ok: true });
    expect(anyHost.checkUrl('https://[2a00:1450:4001:80b::200a]/x')).toMatchObject({ ok: true });
    expect(anyHost.checkUrl('https://10.0.0.1/x')).toMatchObject({ ok: false, reason: 'private' });
    expect(anyHost.checkUrl('https://localhost/x')).toMatchObject({ ok: false, reason: 'local-name' });
  });

  it('admits loopback only for an origin listed as such, and only on its port', () => {
    const fakes = new OutboundAddressPolicy({
      allowedOrigins: ['https://127.0.0.1:*', 'https://localhost:8443'],
      loopbackOrigins: ['https://127.0.0.1:*', 'https://localhost:8443'],
    });
    expect(fakes.checkUrl('https://127.0.0.1:41234/push/1')).toMatchObject({ ok: true });
    expect(fakes.checkUrl('https://localhost:8443/push/1')).toMatchObject({ ok: true });
    expect(fakes.checkUrl('https://localhost:8444/push/1')).toMatchObject({
      ok: false,
      reason: 'local-name',
    });
    expect(fakes.checkUrl('https://127.0.0.2:41234/push/1')).toMatchObject({ ok: false, reason: 'loopback' });
    expect(fakes.checkUrl('https://[::1]:41234/push/1')).toMatchObject({ ok: false, reason: 'loopback' });
    expect(fakes.checkUrl('http://127.0.0.1:41234/push/1')).toMatchObject({ ok: false, reason: 'scheme' });
    // allowed but not listed as loopback: still refused
    const allowedOnly = new OutboundAddressPolicy({ allowedOrigins: ['https://127.0.0.1:*'] });
    expect(allowedOnly.checkUrl('https://127.0.0.1:41234/push/1')).toMatchObject({
      ok: false,
      reason: 'loopback',
    });
  });

  it('reads a default port written out as the default', () => {
    const explicit = new OutboundAddressPolicy({
      allowedOrigins: ['https://push.example.jp:443', 'web.example.jp:443'],
    });
    expect(explicit.checkUrl('https://push.example.jp/x')).toMatchObject({ ok: true });
    expect(explicit.checkUrl('https://web.example.jp:443/x')).toMatchObject({ ok: true });
    expect(explicit.checkUrl('https://push.example.jp:8443/x')).toMatchObject({
      ok: false,
      reason: 'not-allowed',
    });
  });

  it('takes http only when allowed, and then only for an allowed origin', () => {
    const http = new OutboundAddressPolicy({
      allowedOrigins: ['http://127.0.0.1:*'],
      loopbackOrigins: ['http://127.0.0.1:*'],
      allowHttp: true,
    });
    expect(http.checkUrl('http://127.0.0.1:4000/push/1')).toMatchObject({ ok: true });
    expect(http.checkUrl('http://push.example.com/x')).toMatchObject({ ok: false, reason: 'not-allowed' });
  });

  describe('at connect time, every resolved address', () => {
    it.each([
      [['127.0.0.1'], 'loopback'],
      [['142.250.196.106', '10.0.0.1'], 'private'],
      [['2a00:1450:4001:80b::200a', '::1'], 'loopback'],
      [['169.254.169.254'], 'link-local'],
      [['::ffff:169.254.169.254'], 'link-local'],
      [['64:ff9b::c0a8:1'], 'private'],
      [['fd00::1'], 'private'],
      [['0.0.0.0'], 'unspecified'],
    ])('refuses a name resolving to %j (%s)', (addresses, reason) => {
      expect(sut.checkResolved('fcm.googleapis.com', addresses)).toMatchObject({ ok: false, reason });
    });

    it('admits public answers, and loopback only for a host listed as loopback', () => {
      expect(sut.checkResolved('fcm.googleapis.com', ['142.250.196.106', '2a00:1450::1'])).toBeUndefined();
      const fakes = new OutboundAddressPolicy({
        allowedOrigins: ['https://push.fake.test:*'],
        loopbackOrigins: ['https://push.fake.test:*'],
      });
      expect(fakes.checkResolved('push.fake.test', ['127.0.0.1', '::1'])).toBeUndefined();
      expect(fakes.checkResolved('push.fake.test', ['10.0.0.1'])).toMatchObject({ reason: 'private' });
      expect(fakes.checkResolved('other.fake.test', ['127.0.0.1'])).toMatchObject({ reason: 'loopback' });
    });
  });

  it.each([
    ['*', true],
    ['fcm.googleapis.com', true],
    ['*.push.apple.com', true],
    ['https://127.0.0.1:*', true],
    ['http://[::1]:8080', true],
    ['https://push.example.jp:8443', true],
    ['fcm.googleapis.com:443', true],
    ['https://push.example.jp/path', false],
    ['*push.apple.com', false],
    ['ftp://push.example.jp', false],
    ['', false],
  ])('understands the allow-list entry %j: %s', (entry, valid) => {
    expect(isOutboundOriginPattern(entry)).toBe(valid);
  });
});
