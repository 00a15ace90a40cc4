// Runs under jest (compiled by ts-jest) and as its own process straight from this source (Node's type
// stripping, see main.ts): so only erasable TypeScript here (no enums, no parameter properties, no decorators)
// and only node: imports.
import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  randomBytes,
  randomUUID,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import {
  createServer as createHttp2Server,
  type IncomingHttpHeaders as Http2Headers,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { FAKE_TLS_CERT, FAKE_TLS_KEY } from './fake-tls';

/** How the fake answers pushes to one subscription. */
export type FakePushBehaviour =
  | { kind: 'ok' }
  /** 410 Gone: the user unsubscribed or the browser dropped the subscription (RFC 8030 §7.3). */
  | { kind: 'gone' }
  /** 404 Not Found: the endpoint never existed or expired. */
  | { kind: 'not-found' }
  /** 429 with `Retry-After: retryAfterSeconds` for the first `times` pushes (all when absent), RFC 8030 §8.4. */
  | { kind: 'rate-limited'; retryAfterSeconds?: number; times?: number }
  /** 500/503 (with `Retry-After` when given) for the first `times` pushes (all when absent). */
  | { kind: 'unavailable'; status?: 500 | 502 | 503; retryAfterSeconds?: number; times?: number };

export interface FakePushServiceOptions {
  port?: number;
  host?: string;
  /**
   * The name subscriptions' endpoints use instead of the listening address, for a test that resolves it itself
   * (the sender's resolver injected): the origin, and so the VAPID `aud`, become `https://<hostname>:<port>`.
   */
  hostname?: string;
  /** Speak HTTPS with the built-in self-signed certificate (default), or plain HTTP (WEBPUSH_ALLOW_HTTP). */
  tls?: boolean;
  /**
   * Over TLS, offer HTTP/2 as well as HTTP/1.1 by ALPN (default), as FCM, Mozilla autopush and Apple do; false
   * speaks HTTP/1.1 only, like a push service that never took HTTP/2.
   */
  http2?: boolean;
  /** The application server key subscriptions are made for; pushes signed with another key get 403. */
  vapidPublicKey?: string;
  /** Delay before every push answer. */
  latencyMs?: number;
  /** Keep every decrypted message in memory (tests); benchmarks keep counts only. */
  recordMessages?: boolean;
  /**
   * Decrypt one push in this many (default 1: every push). A real push service never decrypts (it cannot: the
   * key is the browser's), so a benchmark that measures the sender on a box the fake shares samples instead:
   * every push still has its VAPID JWT, headers and aes128gcm header checked, and a sampled one that does not
   * decrypt is refused as before. Duplicates are then counted by `Topic` (one per alert) instead of the payload's
   * alertId.
   */
  decryptEvery?: number;
}

/** What `PushSubscription.toJSON()` gives a browser's script, plus the id the fake knows it by. */
export interface FakePushSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface FakePushReceived {
  subscriptionId: string;
  /** The decrypted payload (RFC 8291), as text; empty for a push left out of the sample (`decryptEvery`). */
  payload: string;
  ttl: number;
  urgency?: string;
  topic?: string;
  /** Claims of the VAPID JWT that authorised it. */
  vapid: { aud: string; exp: number; sub: string };
  status: number;
  receivedAt: number;
}

export interface FakePushStats {
  /** Push requests with a valid VAPID JWT and a readable payload. */
  requests: number;
  /** Of those, answered 201. */
  accepted: number;
  /** Payloads decrypted and read: all of them, or the sample `decryptEvery` asks for. */
  decrypted: number;
  /** Every answer by HTTP status, rejections included. */
  byStatus: Record<string, number>;
  /** Different VAPID JWTs seen: one per origin and refresh when the sender caches, one per message when not. */
  distinctJwts: number;
  /** TCP (or TLS) connections clients opened. */
  connections: number;
  /** Push requests by the HTTP version they came over. */
  byProtocol: { 'http/1.1': number; h2: number };
  /** (subscription, alertId) pairs accepted more than once. */
  duplicates: number;
}

interface Subscription {
  id: string;
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
}

interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/** RFC 8030 §5 plus RFC 8291's record limit: push services take at most 4096 bytes of payload. */
const MAX_BODY = 4096;
const MAX_JWT_LIFETIME_S = 24 * 3600;
const PUSH_PATH = /^\/push\/([A-Za-z0-9_-]+)$/;

/** One request, over HTTP/1.1 or as an HTTP/2 stream, and the way to answer it. */
interface Exchange {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  http2: boolean;
  respond(status: number, headers: Record<string, string | number>, text: string): void;
}

function http1Exchange(req: IncomingMessage, res: ServerResponse): Exchange {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    http2: false,
    respond: (status, headers, text) => {
      res.writeHead(status, headers);
      res.end(text);
    },
  };
}

function http2Exchange(stream: ServerHttp2Stream, headers: Http2Headers): Exchange {
  return {
    method: String(headers[':method'] ?? 'GET'),
    url: String(headers[':path'] ?? '/'),
    headers,
    http2: true,
    respond: (status, answer, text) => {
      // a client that reset the stream meanwhile gets nothing; that is its own business
      if (stream.destroyed || stream.closed) return;
      stream.respond({ ':status': status, ...answer }, { endStream: text.length === 0 });
      if (text.length > 0) stream.end(text);
    },
  };
}

function readBody(source: NodeJS.ReadableStream, done: (body: Buffer, size: number) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  source.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY + 1) chunks.push(c);
  });
  source.on('end', () => done(Buffer.concat(chunks), size));
}

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const d of data) h.update(d);
  return h.digest();
}

class PushRejection extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * A stand-in for a browser vendor's push service (RFC 8030), strict where the real ones are:
 *
 * - `POST /push/:id` needs `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292 §3): ES256 verified against `k`,
 *   `aud` = this origin, `exp` in the future and at most 24 h ahead, `sub` a mailto:/https: contact (401 when not;
 *   403 when `k` is not the key the subscription was made for). It needs `TTL`, `Content-Encoding: aes128gcm`
 *   and a body it can decrypt with the subscription's private key and auth secret (RFC 8291; 400 when not, 413
 *   above 4096 bytes). Accepted pushes get `201 Created` with a `Location`.
 * - Subscriptions are made here (`createSubscription`), with a real P-256 key pair and 16-byte auth secret, as a
 *   browser would; the configured behaviour decides 404/410/429/5xx per subscription.
 * - `GET /_stats`, `POST /_reset`, `POST /_behaviour` `{ subscriptionId?, behaviour?, latencyMs? }`,
 *   `POST /_subscriptions` `{ count }`, `GET /_received?subscriptionId=`: the control API for other processes.
 */
export class FakePushService {
  readonly received: FakePushReceived[] = [];
  private readonly options: FakePushServiceOptions;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly behaviours = new Map<string, FakePushBehaviour>();
  private readonly seen = new Map<string, number>();
  private readonly acceptedPerKey = new Map<string, number>();
  private readonly verifiedJwts = new Map<string, VapidClaims>();
  private readonly sockets = new Set<Socket>();
  /** What listens: plain HTTP, or TLS that hands each connection to HTTP/1.1 or HTTP/2 by its ALPN choice. */
  private readonly server: Server | TlsServer;
  private latencyMs: number;
  private counters = FakePushService.zeroCounters();
  private boundPort = 0;
  private pushes = 0;

  constructor(options: FakePushServiceOptions = {}) {
    this.options = options;
    this.latencyMs = options.latencyMs ?? 0;
    const http1 = createHttpServer({ keepAliveTimeout: 60_000 }, (req, res) =>
      readBody(req, (body, size) => this.handle(http1Exchange(req, res), body, size)),
    );
    if (options.tls === false) {
      this.server = http1;
      http1.on('connection', (socket: Socket) => this.track(socket));
    } else {
      // ALPN dispatch by hand rather than http2's allowHTTP1: its compatibility layer would wrap every HTTP/2
      // stream in request/response objects, CPU this fake would take from the box it shares with the sender
      // being measured. HTTP/2 streams are answered on the core stream API instead.
      const http2 = createHttp2Server({ settings: { maxConcurrentStreams: 1000 } });
      http2.on('stream', (stream: ServerHttp2Stream, headers: Http2Headers) =>
        readBody(stream, (body, size) => this.handle(http2Exchange(stream, headers), body, size)),
      );
      // a client that goes away mid-stream is not the fake's error
      http2.on('sessionError', () => undefined);
      this.server = createTlsServer(
        {
          key: FAKE_TLS_KEY,
          cert: FAKE_TLS_CERT,
          ALPNProtocols: options.http2 === false ? ['http/1.1'] : ['h2', 'http/1.1'],
        },
        (socket: TLSSocket) => {
          this.track(socket);
          (socket.alpnProtocol === 'h2' ? http2 : http1).emit('connection', socket);
        },
      );
    }
  }

  private track(socket: Socket): void {
    this.counters.connections++;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  static async start(options: FakePushServiceOptions = {}): Promise<FakePushService> {
    const service = new FakePushService(options);
    await new Promise<void>((resolve, reject) => {
      service.server.once('error', reject);
      service.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    service.boundPort = (service.server.address() as AddressInfo).port;
    return service;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The push service origin: the VAPID `aud` a sender must sign for. */
  get origin(): string {
    const host = this.options.hostname ?? this.options.host ?? '127.0.0.1';
    return `${this.options.tls === false ? 'http' : 'https'}://${host}:${this.boundPort}`;
  }

  /** A new subscription, as `pushManager.subscribe()` would create it in a browser. */
  createSubscription(): FakePushSubscription {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const auth = randomBytes(16);
    const id = randomBytes(12).toString('base64url');
    this.subscriptions.set(id, { id, ecdh, publicKey, auth });
    return {
      id,
      endpoint: `${this.origin}/push/${id}`,
      keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') },
    };
  }

  /** Answer pushes to this subscription this way from now on (`{ kind: 'ok' }` clears it). */
  setBehaviour(subscriptionId: string, behaviour: FakePushBehaviour): void {
    if (behaviour.kind === 'ok') this.behaviours.delete(subscriptionId);
    else this.behaviours.set(subscriptionId, behaviour);
    this.seen.delete(subscriptionId);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Decrypted messages one subscription received (accepted or not), in arrival order. */
  receivedFor(subscriptionId: string): FakePushReceived[] {
    return this.received.filter((r) => r.subscriptionId === subscriptionId);
  }

  /** Forgets messages, counters and behaviours (not subscriptions or open connections). */
  reset(): void {
    this.received.length = 0;
    this.behaviours.clear();
    this.seen.clear();
    this.acceptedPerKey.clear();
    this.verifiedJwts.clear();
    this.counters = FakePushService.zeroCounters();
  }

  stats(): FakePushStats {
    let duplicates = 0;
    for (const n of this.acceptedPerKey.values()) if (n > 1) duplicates++;
    return {
      ...this.counters,
      byStatus: { ...this.counters.byStatus },
      byProtocol: { ...this.counters.byProtocol },
      distinctJwts: this.verifiedJwts.size,
      duplicates,
    };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private static zeroCounters() {
    return {
      requests: 0,
      accepted: 0,
      decrypted: 0,
      byStatus: {} as Record<string, number>,
      connections: 0,
      byProtocol: { 'http/1.1': 0, h2: 0 },
    };
  }

  private handle(ex: Exchange, body: Buffer, size: number): void {
    try {
      this.route(ex, body, size);
    } catch (err) {
      this.reply(ex, 500, { error: String(err) });
    }
  }

  private route(ex: Exchange, body: Buffer, size: number): void {
    const url = new URL(ex.url, 'http://fake');
    const method = ex.method;
    const push = PUSH_PATH.exec(url.pathname);
    if (push && method === 'POST') return this.push(ex, push[1], body, size);
    if (url.pathname === '/_stats' && method === 'GET') return this.reply(ex, 200, this.stats());
    if (url.pathname === '/_reset' && method === 'POST') {
      this.reset();
      return this.reply(ex, 200, { ok: true });
    }
    if (url.pathname === '/_behaviour' && method === 'POST') {
      const cmd = JSON.parse(body.toString('utf8') || '{}') as {
        subscriptionId?: string;
        behaviour?: FakePushBehaviour;
        latencyMs?: number;
      };
      if (cmd.subscriptionId && cmd.behaviour) this.setBehaviour(cmd.subscriptionId, cmd.behaviour);
      if (typeof cmd.latencyMs === 'number') this.setLatency(cmd.latencyMs);
      return this.reply(ex, 200, { ok: true });
    }
    if (url.pathname === '/_subscriptions' && method === 'POST') {
      const { count } = JSON.parse(body.toString('utf8') || '{}') as { count?: number };
      return this.reply(
        ex,
        200,
        Array.from({ length: count ?? 1 }, () => this.createSubscription()),
      );
    }
    if (url.pathname === '/_received' && method === 'GET') {
      const id = url.searchParams.get('subscriptionId');
      return this.reply(ex, 200, id ? this.receivedFor(id) : this.received);
    }
    this.reply(ex, 404, { error: `no route for ${method} ${url.pathname}` });
  }

  private push(ex: Exchange, id: string, body: Buffer, size: number): void {
    this.counters.byProtocol[ex.http2 ? 'h2' : 'http/1.1']++;
    const subscription = this.subscriptions.get(id);
    // an unknown subscription is indistinguishable from one that expired: RFC 8030 §7.3 says 404
    if (!subscription) return this.count(ex, 404, { error: 'no such subscription' });
    let vapid: VapidClaims;
    let payload: string;
    try {
      vapid = this.checkVapid(ex.headers.authorization);
      if (size > MAX_BODY) throw new PushRejection(413, `payload of ${size} bytes exceeds ${MAX_BODY}`);
      if (ex.headers['content-encoding'] !== 'aes128gcm')
        throw new PushRejection(400, 'Content-Encoding must be aes128gcm (RFC 8291)');
      checkAes128gcmHeader(body);
      const sampled = this.pushes++ % (this.options.decryptEvery ?? 1) === 0;
      payload = sampled ? decryptAes128gcm(body, subscription).toString('utf8') : '';
      if (sampled) this.counters.decrypted++;
    } catch (err) {
      if (err instanceof PushRejection) return this.count(ex, err.status, { error: err.message });
      return this.count(ex, 400, {
        error: `cannot decrypt: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    const ttlHeader = ex.headers.ttl;
    // RFC 8030 §5.2: the TTL header is mandatory
    if (typeof ttlHeader !== 'string' || !/^\d+$/.test(ttlHeader))
      return this.count(ex, 400, { error: 'TTL header missing or malformed' });
    this.counters.requests++;
    const [status, headers] = this.answerFor(id);
    const urgency = ex.headers.urgency;
    const topic = ex.headers.topic;
    if (this.options.recordMessages ?? true) {
      this.received.push({
        subscriptionId: id,
        payload,
        ttl: Number(ttlHeader),
        ...(typeof urgency === 'string' ? { urgency } : {}),
        ...(typeof topic === 'string' ? { topic } : {}),
        vapid,
        status,
        receivedAt: Date.now(),
      });
    }
    if (status === 201) {
      this.counters.accepted++;
      const key = `${id}\u0000${this.duplicateKey(payload, topic)}`;
      this.acceptedPerKey.set(key, (this.acceptedPerKey.get(key) ?? 0) + 1);
      headers.location = `/message/${randomUUID()}`;
    }
    const answer = () =>
      this.count(ex, status, status === 201 ? undefined : { error: `status ${status}` }, headers);
    if (this.latencyMs > 0) setTimeout(answer, this.latencyMs);
    else answer();
  }

  /** What makes two accepted pushes to one subscription the same message: the alert, by payload or by Topic. */
  private duplicateKey(payload: string, topic: string | string[] | undefined): string {
    if ((this.options.decryptEvery ?? 1) > 1) return typeof topic === 'string' ? `topic:${topic}` : '';
    try {
      const parsed = (JSON.parse(payload) as { alertId?: unknown }).alertId;
      return typeof parsed === 'string' ? parsed : '';
    } catch {
      // not JSON: counted per subscription alone
      return '';
    }
  }

  private answerFor(id: string): [number, Record<string, string>] {
    const behaviour = this.behaviours.get(id) ?? { kind: 'ok' };
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    switch (behaviour.kind) {
      case 'ok':
        return [201, {}];
      case 'gone':
        return [410, {}];
      case 'not-found':
        return [404, {}];
      case 'rate-limited':
        if (behaviour.times !== undefined && n > behaviour.times) return [201, {}];
        return [429, { 'retry-after': String(behaviour.retryAfterSeconds ?? 60) }];
      case 'unavailable':
        if (behaviour.times !== undefined && n > behaviour.times) return [201, {}];
        return [
          behaviour.status ?? 503,
          behaviour.retryAfterSeconds !== undefined
            ? { 'retry-after': String(behaviour.retryAfterSeconds) }
            : {},
        ];
    }
  }

  /** RFC 8292 §3: `vapid t=<JWT>, k=<base64url P-256 public key>`; the JWT is ES256 over that key. */
  private checkVapid(header: string | undefined): VapidClaims {
    const match = /^vapid\s+(.+)$/i.exec(header ?? '');
    if (!match) throw new PushRejection(401, 'Authorization must use the vapid scheme (RFC 8292)');
    const params = new Map<string, string>();
    for (const part of match[1].split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
    const jwt = params.get('t');
    const k = params.get('k');
    if (!jwt || !k) throw new PushRejection(401, 'vapid needs t= and k=');
    if (this.options.vapidPublicKey && k !== this.options.vapidPublicKey)
      throw new PushRejection(403, 'the subscription was made for another application server key');
    const cached = this.verifiedJwts.get(`${k} ${jwt}`);
    const claims = cached ?? this.verifyJwt(jwt, k);
    const now = Math.floor(Date.now() / 1_000);
    if (claims.exp <= now) throw new PushRejection(401, 'VAPID JWT expired');
    if (!cached) this.verifiedJwts.set(`${k} ${jwt}`, claims);
    return claims;
  }

  private verifyJwt(jwt: string, k: string): VapidClaims {
    const parts = jwt.split('.');
    if (parts.length !== 3) throw new PushRejection(401, 'VAPID token is not a JWT');
    const [h, p, sig] = parts;
    let header: { typ?: string; alg?: string };
    let claims: Partial<VapidClaims>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw new PushRejection(401, 'VAPID token is not a JWT');
    }
    if (header.alg !== 'ES256') throw new PushRejection(401, 'VAPID JWT must be ES256');
    let key: KeyObject;
    try {
      key = vapidKey(k);
    } catch {
      throw new PushRejection(401, 'k= is not a P-256 public key');
    }
    // JWS ES256 signatures are r||s (64 bytes), not DER
    const ok = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(sig, 'base64url'),
    );
    if (!ok) throw new PushRejection(401, 'VAPID JWT signature does not verify');
    if (claims.aud !== this.origin) throw new PushRejection(401, `aud must be ${this.origin}`);
    const now = Math.floor(Date.now() / 1_000);
    if (typeof claims.exp !== 'number' || claims.exp > now + MAX_JWT_LIFETIME_S)
      throw new PushRejection(401, 'exp must be at most 24 hours ahead (RFC 8292 §2)');
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
      throw new PushRejection(401, 'sub must be a mailto: or https: contact');
    return { aud: claims.aud, exp: claims.exp, sub: claims.sub };
  }

  private count(ex: Exchange, status: number, body?: object, headers: Record<string, string> = {}): void {
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1;
    this.reply(ex, status, body, headers);
  }

  private reply(ex: Exchange, status: number, body?: object, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    ex.respond(
      status,
      {
        ...headers,
        ...(text ? { 'content-type': 'application/json' } : {}),
        'content-length': Buffer.byteLength(text),
      },
      text,
    );
  }
}

function vapidKey(k: string): KeyObject {
  const point = Buffer.from(k, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('not an uncompressed P-256 point');
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
}

/** RFC 8188 §2.1 / RFC 8291 §4 framing, what a push service can check without the key: salt, rs, keyid. */
function checkAes128gcmHeader(body: Buffer): void {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const idlen = body[20];
  if (idlen !== 65 || body[21] !== 0x04) throw new Error('keyid must be the sender’s 65-byte public key');
  if (body.readUInt32BE(16) < 18) throw new Error('record size too small');
  // at least one record: a delimiter byte and the 16-byte tag
  if (body.length < 21 + idlen + 17) throw new Error('no record after the header');
}

/**
 * RFC 8291 §3 with RFC 8188 framing, the user agent's side: header = salt(16) ‖ rs(4) ‖ idlen(1) ‖ keyid (the
 * sender's ephemeral public key); IKM from ECDH and the auth secret; CEK and nonce from HKDF over the salt;
 * records of `rs` bytes, each AES-128-GCM with the nonce XOR its sequence number, padded with a delimiter
 * (0x01 inside, 0x02 on the last record) and zeros.
 */
export function decryptAes128gcm(
  body: Buffer,
  subscription: { ecdh: ReturnType<typeof createECDH>; publicKey: Buffer; auth: Buffer },
): Buffer {
  checkAes128gcmHeader(body);
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  const shared = subscription.ecdh.computeSecret(senderKey);
  const prkKey = hmac(subscription.auth, shared);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    subscription.publicKey,
    senderKey,
    Buffer.from([1]),
  ]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0'), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0'), Buffer.from([1])).subarray(0, 12);
  const out: Buffer[] = [];
  for (let seq = 0, at = 0; at < records.length; seq++, at += rs) {
    const record = records.subarray(at, at + rs);
    const last = at + rs >= records.length;
    const iv = Buffer.from(nonce);
    // the sequence number is XORed into the low end; batches never reach 2^32 records, so 4 bytes suffice
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0 || plain[end] !== (last ? 2 : 1)) throw new Error('bad padding delimiter');
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}
