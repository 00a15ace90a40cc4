import { createHmac } from 'node:crypto';
import { parseTimestamp, relaySignature, signatureMatches } from './relay-signature';

const SECRET = 'relay-secret-0123456789-0123456789-abcdef';

describe(relaySignature.name, () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>" in hex, prefixed with sha256=', () => {
    const body = Buffer.from('{"id":"x"}');
    const mac = createHmac('sha256', SECRET).update('1795000000.{"id":"x"}').digest('hex');
    expect(relaySignature(SECRET, '1795000000', body)).toBe(`sha256=${mac}`);
  });

  it('matches only the same secret, timestamp and bytes', () => {
    const body = Buffer.from('<Report/>');
    const sig = relaySignature(SECRET, '1795000000', body);
    expect(signatureMatches(SECRET, '1795000000', body, sig)).toBe(true);
    expect(
      signatureMatches(SECRET, '1795000000', body, sig.toUpperCase().replace('SHA256=', 'sha256=')),
    ).toBe(true);
    expect(signatureMatches(SECRET, '1795000001', body, sig)).toBe(false);
    expect(signatureMatches(SECRET, '1795000000', Buffer.from('<Report />'), sig)).toBe(false);
    expect(signatureMatches(`${SECRET}x`, '1795000000', body, sig)).toBe(false);
    expect(signatureMatches(SECRET, '1795000000', body, 'sha256=abc')).toBe(false);
  });
});

describe(parseTimestamp.name, () => {
  it('takes whole Unix seconds only', () => {
    expect(parseTimestamp('1795000000')).toBe(1795000000);
    expect(parseTimestamp('1795000000.5')).toBeNull();
    expect(parseTimestamp('2026-11-24T00:00:00Z')).toBeNull();
    expect(parseTimestamp('')).toBeNull();
  });
});
