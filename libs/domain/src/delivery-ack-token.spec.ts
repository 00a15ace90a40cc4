import { DomainError, ErrorCode } from './errors';
import { signDeliveryAckToken, verifyDeliveryAckToken } from './delivery-ack-token';
import { signOneTapToken, OneTapPurpose } from './one-tap-token';

const SECRET = 'test-ack-token-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

describe('delivery ack tokens', () => {
  it('round-trips the delivery id and expiry', () => {
    const sut = signDeliveryAckToken({ deliveryId: '9007199254740993', expiresAt: NOW + 60_000 }, SECRET);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(sut.length).toBeLessThan(100);
    expect(verifyDeliveryAckToken(sut, SECRET, NOW)).toEqual({
      deliveryId: '9007199254740993',
      expiresAt: NOW + 60_000,
    });
  });

  it('refuses an expired token with TOKEN_EXPIRED', () => {
    const sut = signDeliveryAckToken({ deliveryId: '7', expiresAt: NOW }, SECRET);
    expect(codeOf(() => verifyDeliveryAckToken(sut, SECRET, NOW))).toBe(ErrorCode.TokenExpired);
  });

  it('refuses another key, an altered payload or MAC, and junk with TOKEN_INVALID', () => {
    const sut = signDeliveryAckToken({ deliveryId: '7', expiresAt: NOW + 60_000 }, SECRET);
    const [payload, tag] = sut.split('.');
    const otherDelivery = Buffer.from(`8\n${NOW + 60_000}`).toString('base64url');
    const later = Buffer.from(`7\n${NOW + 600_000_000}`).toString('base64url');
    const flipped = `${tag.slice(0, -2)}${tag.at(-2) === 'A' ? 'B' : 'A'}${tag.at(-1)}`;
    for (const forged of [
      signDeliveryAckToken({ deliveryId: '7', expiresAt: NOW + 60_000 }, `${SECRET}-other`),
      `${otherDelivery}.${tag}`,
      `${later}.${tag}`,
      `${payload}.${flipped}`,
      `${payload}!.${tag}`,
      `${payload}.${tag}.x`,
      'not-a-token',
      '',
    ]) {
      expect(codeOf(() => verifyDeliveryAckToken(forged, SECRET, NOW))).toBe(ErrorCode.TokenInvalid);
    }
  });

  it('refuses a one-tap link signed with the same key (domain separation)', () => {
    const link = signOneTapToken(
      { purpose: OneTapPurpose.ConfirmEmail, residentId: '7', expiresAt: NOW + 60_000 },
      SECRET,
    );
    expect(codeOf(() => verifyDeliveryAckToken(link, SECRET, NOW))).toBe(ErrorCode.TokenInvalid);
  });

  it('refuses to sign with a short secret or for something that is not a delivery id', () => {
    expect(codeOf(() => signDeliveryAckToken({ deliveryId: '7', expiresAt: NOW }, 'short'))).toBe(
      ErrorCode.Internal,
    );
    expect(codeOf(() => signDeliveryAckToken({ deliveryId: '7\n1', expiresAt: NOW }, SECRET))).toBe(
      ErrorCode.TokenInvalid,
    );
  });
});
