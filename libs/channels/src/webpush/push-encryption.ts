// Loaded twice: compiled, by the fanout's main thread, and as the entry of each encryption worker thread
// (push-encryption.pool.ts), straight from this source under jest (Node's type stripping) or from dist. So: only
// erasable TypeScript and only node: imports here.
import {
  createCipheriv,
  createECDH,
  createHmac,
  createSecretKey,
  randomFillSync,
  type KeyObject,
} from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** RFC 8291 §4: the record size we announce; one record always suffices (push services take ≤ 4096 bytes). */
const RECORD_SIZE = 4096;
/** RFC 8188 §2.1 header: salt (16) ‖ rs (4) ‖ idlen (1) ‖ keyid = our ephemeral public key (65). */
const HEADER_LENGTH = 16 + 4 + 1 + 65;
const TAG_LENGTH = 16;
/** RFC 8030 §7.2: push services must accept 4096 bytes of body; the header, tag and delimiter come out of it. */
export const MAX_PUSH_PLAINTEXT = 4096 - HEADER_LENGTH - TAG_LENGTH - 1;

const KEY_INFO = Buffer.from('WebPush: info\0', 'latin1');
/** HKDF-Expand's first (and, for ≤ 32 bytes, only) block: HMAC(PRK, info ‖ 0x01) (RFC 5869 §2.3). */
const FIRST_BLOCK = Buffer.from([1]);
const CEK_INFO_BLOCK = Buffer.from('Content-Encoding: aes128gcm\0\x01', 'latin1');
const NONCE_INFO_BLOCK = Buffer.from('Content-Encoding: nonce\0\x01', 'latin1');
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

/** Salts come from a CSPRNG block filled 256 salts at a time: one `randomBytes` call per message costs more. */
const SALTS = Buffer.alloc(16 * 256);
let saltAt = SALTS.length;
function freshSalt(): Buffer {
  if (saltAt >= SALTS.length) {
    randomFillSync(SALTS);
    saltAt = 0;
  }
  const salt = SALTS.subarray(saltAt, saltAt + 16);
  saltAt += 16;
  return salt;
}

/** HMAC-SHA-256 keyed by a KeyObject: node:crypto imports a raw key on every `createHmac`, costing more than the HMAC. */
function hmac(key: KeyObject, ...data: Buffer[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const d of data) mac.update(d);
  return mac.digest();
}

/**
 * The RFC 8291 aes128gcm body of one push message for one subscription: a fresh ECDH P-256 key pair and a fresh
 * salt per message (RFC 8291 §3.1 and §4 require both), the shared secret mixed with the subscription's auth
 * secret (HKDF, §3.3), CEK and nonce from the salt (RFC 8188 §2.2–2.3), one AES-128-GCM record.
 *
 * Written on node:crypto rather than web-push's `encrypt`: the key pair and the ECDH are the floor either way, but
 * web-push's http_ece path adds HMAC objects and buffer copies around them that cost more than half as much again
 * (`npm run bench:webpush`, docs/performance.md), and this is the hot path of every browser alert. The
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
  // RFC 8291 §3.3 and RFC 8188 §2.2–2.3, each HKDF spelled out as its two HMACs (RFC 5869: extract, then the
  // first expand block, as every output here is at most 32 bytes): the same bytes as hkdfSync, and cheaper, as
  // hkdfSync re-creates its KDF context three times and extracts the same PRK twice.
  //   PRK_key = HMAC(auth_secret, ecdh_secret); IKM = HMAC(PRK_key, key_info ‖ 0x01)
  //   PRK = HMAC(salt, IKM); CEK = HMAC(PRK, cek_info ‖ 0x01)[0..16]; NONCE = HMAC(PRK, nonce_info ‖ 0x01)[0..12]
  const prkKey = hmac(createSecretKey(authSecret), shared);
  const ikm = hmac(createSecretKey(prkKey), KEY_INFO, userAgentKey, serverKey, FIRST_BLOCK);
  const salt = freshSalt();
  const prk = createSecretKey(hmac(createSecretKey(salt), ikm));
  const cek = createSecretKey(hmac(prk, CEK_INFO_BLOCK).subarray(0, 16));
  const nonce = hmac(prk, NONCE_INFO_BLOCK).subarray(0, 12);

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
