import { createHmac } from 'node:crypto';
import { hashDeviceSecret, hashPassword, hmacSha256, newSecret, verifyDeviceSecret } from './secrets';

describe(hmacSha256.name, () => {
  it('is createHmac over the secret’s UTF-8 bytes, for any number of secrets and parts', () => {
    const secrets = Array.from({ length: 12 }, (_, i) => `${newSecret('ack')}${i % 2 ? '防災' : ''}`);
    for (const round of [1, 2]) {
      for (const secret of secrets) {
        const expected = createHmac('sha256', secret)
          .update('ctx\n')
          .update(Buffer.from([round]))
          .digest();
        expect(hmacSha256(secret, 'ctx\n', Buffer.from([round]))).toEqual(expected);
      }
    }
  });
});

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
