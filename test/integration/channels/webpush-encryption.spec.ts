import { createECDH, randomBytes } from 'node:crypto';
import {
  MAX_PUSH_PLAINTEXT,
  PushEncryptionInputError,
  PushEncryptionPool,
  encryptPushPayload,
} from '@bousai/channels/senders';
import { decryptAes128gcm } from '@bousai/testing';

// http_ece is web-push's own RFC 8188/8291 implementation: the reference our encryption must interoperate with
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as {
  decrypt(
    buffer: Buffer,
    params: { version: 'aes128gcm'; privateKey: ReturnType<typeof createECDH>; authSecret: string },
  ): Buffer;
};

/** A browser's side of a subscription: its key pair and auth secret, as `pushManager.subscribe()` makes them. */
function browser() {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    publicKey,
    auth,
    p256dh: publicKey.toString('base64url'),
    authB64: auth.toString('base64url'),
  };
}

describe('RFC 8291 push encryption', () => {
  const payload = JSON.stringify({
    v: 1,
    title: '【訓練】避難指示',
    body: '安来市全域に避難指示を発令しました。',
  });

  it('makes an aes128gcm body that the fake push service and web-push’s http_ece both decrypt', () => {
    const ua = browser();

    const body = encryptPushPayload(ua.p256dh, ua.authB64, payload);

    expect(decryptAes128gcm(body, ua).toString('utf8')).toBe(payload);
    expect(
      ece
        .decrypt(body, { version: 'aes128gcm', privateKey: ua.ecdh, authSecret: ua.authB64 })
        .toString('utf8'),
    ).toBe(payload);
  });

  it('writes the RFC 8188 header: salt, record size 4096, and a fresh 65-byte sender key per message', () => {
    const ua = browser();

    const [a, b] = [1, 2].map(() => encryptPushPayload(ua.p256dh, ua.authB64, payload));

    for (const body of [a, b]) {
      expect(body.readUInt32BE(16)).toBe(4096);
      expect(body[20]).toBe(65);
      expect(body[21]).toBe(0x04);
      // header 86 + plaintext + delimiter 1 + tag 16
      expect(body.length).toBe(86 + Buffer.byteLength(payload) + 1 + 16);
    }
    expect(a.subarray(0, 16).equals(b.subarray(0, 16))).toBe(false);
    expect(a.subarray(21, 86).equals(b.subarray(21, 86))).toBe(false);
  });

  it('carries a payload of exactly the largest size a push message allows, and refuses one byte more', () => {
    const ua = browser();
    const largest = 'あ'.repeat(Math.floor(MAX_PUSH_PLAINTEXT / 3)) + 'x'.repeat(MAX_PUSH_PLAINTEXT % 3);

    const body = encryptPushPayload(ua.p256dh, ua.authB64, largest);

    expect(body.length).toBe(4096);
    expect(decryptAes128gcm(body, ua).toString('utf8')).toBe(largest);
    expect(() => encryptPushPayload(ua.p256dh, ua.authB64, `${largest}x`)).toThrow(RangeError);
  });

  it('refuses keys a browser cannot have made, as the subscription’s fault', () => {
    const ua = browser();
    const offCurve = Buffer.alloc(65, 7);
    offCurve[0] = 0x04;

    for (const [p256dh, auth] of [
      ['AAAA', ua.authB64],
      [ua.publicKey.subarray(0, 33).toString('base64url'), ua.authB64],
      [offCurve.toString('base64url'), ua.authB64],
      [ua.p256dh, randomBytes(8).toString('base64url')],
    ]) {
      expect(() => encryptPushPayload(p256dh, auth, payload)).toThrow(PushEncryptionInputError);
    }
  });

  it('detects tampering: a flipped ciphertext bit does not decrypt', () => {
    const ua = browser();
    const body = encryptPushPayload(ua.p256dh, ua.authB64, payload);
    body[100] ^= 1;

    expect(() => decryptAes128gcm(body, ua)).toThrow();
  });

  it('runs the same encryption on worker threads, and reports unusable keys as such', async () => {
    const pool = new PushEncryptionPool(2);
    try {
      const browsers = Array.from({ length: 40 }, browser);

      const bodies = await Promise.all(browsers.map((ua) => pool.encrypt(ua.p256dh, ua.authB64, payload)));

      bodies.forEach((body, i) => expect(decryptAes128gcm(body, browsers[i]).toString('utf8')).toBe(payload));
      await expect(pool.encrypt('AAAA', browsers[0].authB64, payload)).rejects.toBeInstanceOf(
        PushEncryptionInputError,
      );
    } finally {
      await pool.close();
    }
  });
});
