import { hashDeviceSecret, hashPassword, newSecret, verifyDeviceSecret } from './secrets';

describe('device secrets', () => {
  it('verify against their own hash only', async () => {
    const secret = newSecret('rxs', 24);
    const stored = hashDeviceSecret(secret);
    expect(stored).not.toContain(secret);
    expect(await verifyDeviceSecret(stored, secret)).toBe(true);
    expect(await verifyDeviceSecret(stored, newSecret('rxs', 24))).toBe(false);
    expect(await verifyDeviceSecret(stored, `${secret}x`)).toBe(false);
  });

  it('still accept receivers provisioned with an argon2id hash', async () => {
    const secret = newSecret('rxs', 24);
    const stored = await hashPassword(secret);
    expect(await verifyDeviceSecret(stored, secret)).toBe(true);
    expect(await verifyDeviceSecret(stored, 'rxs_wrong')).toBe(false);
  });

  it('refuse stored values of no known scheme, and a truncated hash', async () => {
    const secret = newSecret('rxs', 24);
    expect(await verifyDeviceSecret(secret, secret)).toBe(false);
    expect(await verifyDeviceSecret(hashDeviceSecret(secret).slice(0, 20), secret)).toBe(false);
  });
});
