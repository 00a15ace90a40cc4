// Loaded twice: compiled, by the fanout's main thread, and as the entry of each encryption worker thread
// (push-encryption.pool.ts), straight from this source under jest (Node's type stripping) or from dist. So: only
// erasable TypeScript and only node: imports here.
import { createCipheriv, createECDH, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** RFC 8291 §4: the record size we announce; one record always suffices (push services take ≤ 4096 bytes). */
const RECORD_SIZE = 4096;
/** RFC 8188 §2.1 header: salt (16) ‖ rs (4) ‖ idlen (1) ‖ keyid = our ephemeral public key (65). */
const HEADER_LENGTH = 16 + 4 + 1 + 65;
const TAG_LENGTH = 16;
/** RFC 8030 §7.2: push services must accept 4096 bytes of body; the header, tag and delimiter come out of it. */
export const MAX_PUSH_PLAINTEXT = 4096 - HEADER_LENGTH - TAG_LENGTH - 1;

const KEY_INFO = Buffer.from('WebPush: info\0', 'latin1');
const CEK_INFO = Buffer.from('Content-Encoding: aes128gcm\0', 'latin1');
const NONCE_INFO = Buffer.from('Content-Encoding: nonce\0', 'latin1');
/** RFC 8188 §2: the last (here: only) record ends with the delimiter 0x02 and no padding. */
const LAST_RECORD = Buffer.from([2]);

/** The subscription's keys cannot be used: not a P-256 point, or not a 16-byte secret. */
export class PushEncryptionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushEncryptionInputError';
  }
}

/** `generateKeys()` replaces the key pair on every call; one object per thread saves creating it each time. */
const ephemeral = createECDH('prime256v1');

/**
 * The RFC 8291 aes128gcm body of one push message for one subscription: a fresh ECDH P-256 key pair and a fresh
 * salt per message (RFC 8291 §3.1 and §4 require both), the shared secret mixed with the subscription's auth
 * secret (HKDF, §3.3), CEK and nonce from the salt (RFC 8188 §2.2–2.3), one AES-128-GCM record.
 *
 * Written on node:crypto rather than web-push's `encrypt`: the key pair and the ECDH (≈130 µs) are the floor
 * either way, but web-push's http_ece path adds ≈120 µs of HMAC objects and buffer copies around them (≈310 µs
 * against ≈190 µs on the CI box, `npm run bench:webpush`), and this is the hot path of every browser alert. The
 * fake push service decrypts with its own implementation and web-push's own senders are checked against it, so
 * the two stay interoperable (test/integration/channels/webpush-encryption.spec.ts).
 */
export function encryptPushPayload(p256dh: string, auth: string, payload: string): Buffer {
  const userAgentKey = Buffer.from(p256dh, 'base64url');
  if (userAgentKey.length !== 65 || userAgentKey[0] !== 0x04)
    throw new PushEncryptionInputError('p256dh must be an uncompressed P-256 public key (65 bytes)');
  const authSecret = Buffer.from(auth, 'base64url');
  if (authSecret.length !== 16) throw new PushEncryptionInputError('auth must be a 16-byte secret');
  const plaintext = Buffer.from(payload, 'utf8');
  if (plaintext.length > MAX_PUSH_PLAINTEXT)
    throw new RangeError(
      `payload of ${plaintext.length} bytes exceeds the ${MAX_PUSH_PLAINTEXT} a push message can carry`,
    );
  const serverKey = ephemeral.generateKeys();
  let shared: Buffer;
  try {
    shared = ephemeral.computeSecret(userAgentKey);
  } catch {
    throw new PushEncryptionInputError('p256dh is not a point on P-256');
  }
  // RFC 8291 §3.3: IKM = HKDF(salt = auth_secret, ikm = ecdh_secret, info = key_info, 32). Keys go in as
  // KeyObjects: node:crypto re-imports a raw key on every call, which costs more than the HMAC itself.
  const keyInfo = Buffer.concat([KEY_INFO, userAgentKey, serverKey]);
  const ikm = createSecretKey(
    new Uint8Array(hkdfSync('sha256', createSecretKey(shared), authSecret, keyInfo, 32)),
  );
  const salt = randomBytes(16);
  const cek = createSecretKey(new Uint8Array(hkdfSync('sha256', ikm, salt, CEK_INFO, 16)));
  const nonce = new Uint8Array(hkdfSync('sha256', ikm, salt, NONCE_INFO, 12));

  // a memory of its own (not a slice of Node's shared pool), so a worker thread can transfer it without a copy
  const body = Buffer.allocUnsafeSlow(HEADER_LENGTH + plaintext.length + 1 + TAG_LENGTH);
  salt.copy(body, 0);
  body.writeUInt32BE(RECORD_SIZE, 16);
  body[20] = 65;
  serverKey.copy(body, 21);
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  let at = HEADER_LENGTH;
  at += cipher.update(plaintext).copy(body, at);
  at += cipher.update(LAST_RECORD).copy(body, at);
  at += cipher.final().copy(body, at);
  cipher.getAuthTag().copy(body, at);
  return body;
}

/** What the pool passes a worker thread as `workerData`, so importing this file elsewhere starts nothing. */
export const PUSH_ENCRYPTION_WORKER = 'bousai:push-encryption';

export interface PushEncryptionRequest {
  id: number;
  jobs: { p256dh: string; auth: string; payload: string }[];
}

export interface PushEncryptionReply {
  id: number;
  /** A body per job, in order, or why it could not be made (`input`: the subscription's keys are unusable). */
  bodies: (Uint8Array | { error: string; input: boolean })[];
}

if (!isMainThread && workerData === PUSH_ENCRYPTION_WORKER && parentPort) {
  const port = parentPort;
  port.on('message', ({ id, jobs }: PushEncryptionRequest) => {
    const transfer: ArrayBuffer[] = [];
    const bodies = jobs.map((job) => {
      try {
        const body = encryptPushPayload(job.p256dh, job.auth, job.payload);
        transfer.push(body.buffer as ArrayBuffer);
        return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      } catch (err) {
        return {
          error: err instanceof Error ? err.message : String(err),
          input: err instanceof PushEncryptionInputError,
        };
      }
    });
    port.postMessage({ id, bodies } satisfies PushEncryptionReply, transfer);
  });
}
