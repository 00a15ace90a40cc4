import { ErrorCode } from '../errors';
import { signOneTapToken, OneTapPurpose } from '../one-tap-token';
import { signShelterQrToken, verifyShelterQrToken } from './shelter-qr-token';

const SECRET = 'unit-shelter-qr-secret-0123456789-abcdef';
const claims = {
  municipalityId: '0190a1b2-0000-7000-8000-000000000001',
  shelterId: '0190a1b2-0000-7000-8000-000000000002',
};

describe(signShelterQrToken.name, () => {
  it('round-trips', () => {
    expect(verifyShelterQrToken(signShelterQrToken(claims, SECRET), SECRET)).toEqual(claims);
  });

  it('refuses another shelter, another secret, a changed signature and a one-tap token', () => {
    const token = signShelterQrToken(claims, SECRET);
    const other = token.replace(claims.shelterId, '0190a1b2-0000-7000-8000-000000000003');
    const invalid = expect.objectContaining({ code: ErrorCode.TokenInvalid });
    expect(() => verifyShelterQrToken(other, SECRET)).toThrow(invalid);
    expect(() => verifyShelterQrToken(token, `${SECRET}x`)).toThrow(invalid);
    const flipped = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    expect(() => verifyShelterQrToken(flipped, SECRET)).toThrow(invalid);
    const oneTap = signOneTapToken(
      { purpose: OneTapPurpose.SafetyAnswer, residentId: claims.shelterId, expiresAt: Date.now() + 60_000 },
      SECRET,
    );
    expect(() => verifyShelterQrToken(oneTap, SECRET)).toThrow(invalid);
    expect(() => verifyShelterQrToken('garbage', SECRET)).toThrow(invalid);
  });
});
