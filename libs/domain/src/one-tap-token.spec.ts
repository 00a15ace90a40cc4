import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from './errors';
import { OneTapPurpose, signOneTapToken, verifyOneTapToken, type OneTapClaims } from './one-tap-token';

const SECRET = 'test-one-tap-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

function claims(overrides: Partial<OneTapClaims> = {}): OneTapClaims {
  return {
    purpose: OneTapPurpose.SafetyAnswer,
    residentId: randomUUID(),
    alertId: randomUUID(),
    answer: 'safe',
    expiresAt: NOW + 3_600_000,
    ...overrides,
  };
}

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

describe('one-tap tokens', () => {
  it('round-trips every claim', () => {
    const c = claims();
    const sut = signOneTapToken(c, SECRET);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyOneTapToken(sut, SECRET, { purpose: OneTapPurpose.SafetyAnswer, now: NOW })).toEqual(c);
  });

  it('round-trips a token without alert or answer (address confirmation)', () => {
    const c = claims({ purpose: OneTapPurpose.ConfirmEmail, alertId: undefined, answer: undefined });
    const sut = signOneTapToken(c, SECRET);
    const back = verifyOneTapToken(sut, SECRET, { purpose: OneTapPurpose.ConfirmEmail, now: NOW });
    expect(back).toEqual({ purpose: c.purpose, residentId: c.residentId, expiresAt: c.expiresAt });
  });

  it('refuses an expired token with TOKEN_EXPIRED', () => {
    const sut = signOneTapToken(claims({ expiresAt: NOW }), SECRET);
    expect(
      codeOf(() => verifyOneTapToken(sut, SECRET, { purpose: OneTapPurpose.SafetyAnswer, now: NOW })),
    ).toBe(ErrorCode.TokenExpired);
  });

  it('refuses a token made for another purpose', () => {
    const sut = signOneTapToken(claims({ purpose: OneTapPurpose.ConfirmEmail }), SECRET);
    expect(
      codeOf(() => verifyOneTapToken(sut, SECRET, { purpose: OneTapPurpose.SafetyAnswer, now: NOW })),
    ).toBe(ErrorCode.TokenInvalid);
  });

  it('refuses a token signed with another secret', () => {
    const sut = signOneTapToken(claims(), `${SECRET}-other`);
    expect(
      codeOf(() => verifyOneTapToken(sut, SECRET, { purpose: OneTapPurpose.SafetyAnswer, now: NOW })),
    ).toBe(ErrorCode.TokenInvalid);
  });

  it('refuses any altered claim: another answer, resident, alert or a later expiry', () => {
    const c = claims();
    const [, macPart] = signOneTapToken(c, SECRET).split('.');
    const forgeries = [
      { ...c, answer: 'need_help' },
      { ...c, residentId: randomUUID() },
      { ...c, alertId: randomUUID() },
      { ...c, expiresAt: c.expiresAt + 86_400_000 },
    ].map((f) => `${signOneTapToken(f, SECRET).split('.')[0]}.${macPart}`);
    for (const forged of forgeries) {
      expect(
        codeOf(() => verifyOneTapToken(forged, SECRET, { purpose: OneTapPurpose.SafetyAnswer, now: NOW })),
      ).toBe(ErrorCode.TokenInvalid);
    }
  });

  it('refuses malformed tokens and flipped bits', () => {
    const sut = signOneTapToken(claims(), SECRET);
    // the signature's second-to-last character replaced by another (its last carries padding bits)
    const flipped = `${sut.slice(0, -2)}${sut.at(-2) === 'A' ? 'B' : 'A'}${sut.slice(-1)}`;
    for (const bad of ['', '.', 'abc', 'abc.def', `${sut}.x`, flipped, sut.slice(0, -1), `x${sut}`]) {
      expect(
        codeOf(() => verifyOneTapToken(bad, SECRET, { purpose: OneTapPurpose.SafetyAnswer, now: NOW })),
      ).toBe(ErrorCode.TokenInvalid);
    }
  });

  it('refuses to sign or verify with a short secret', () => {
    expect(codeOf(() => signOneTapToken(claims(), 'short'))).toBe(ErrorCode.Internal);
  });
});
