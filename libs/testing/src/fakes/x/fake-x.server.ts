import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeXCredentials {
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  accessSecret: string;
}

export type FakeXFault =
  { kind: 'rate-limit'; times: number; resetInSeconds: number } | { kind: 'server-error'; times: number };

export interface FakeXPost {
  id: string;
  text: string;
  receivedAt: number;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) wants it. */
function enc(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * An X API v2 stand-in for `POST /2/tweets`: checks the OAuth 1.0a signature itself (RFC 5849: base string of
 * method, URL and sorted oauth parameters, HMAC-SHA1 keyed with both secrets), the timestamp window and nonce
 * reuse; refuses texts over 280 weighted characters (kana/kanji weigh 2, URLs 23) and a duplicate of a recent
 * post (403, as X does); answers scripted 429 (with `x-rate-limit-reset`) and 503 faults.
 */
export class FakeXServer {
  readonly posts: FakeXPost[] = [];
  /** Requests and their status, including refused ones. */
  readonly requests: { status: number; at: number }[] = [];
  private readonly nonces = new Set<string>();
  private faults: FakeXFault[] = [];
  private server?: Server;
  private nextId = 1_900_000_000_000_000_000n;

  private constructor(private readonly credentials: FakeXCredentials) {}

  static async start(credentials: FakeXCredentials): Promise<FakeXServer> {
    const fake = new FakeXServer(credentials);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  fail(fault: FakeXFault): void {
    this.faults.push({ ...fault });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/2/tweets') return reply(404, { title: 'Not Found Error' });
    const problem = this.checkSignature(req);
    if (problem) return reply(401, { title: 'Unauthorized', detail: problem, status: 401 });

    const fault = this.faults[0];
    if (fault) {
      if (--fault.times <= 0) this.faults.shift();
      if (fault.kind === 'rate-limit') {
        const reset = String(Math.ceil(Date.now() / 1_000) + fault.resetInSeconds);
        return reply(429, { title: 'Too Many Requests', status: 429 }, { 'x-rate-limit-reset': reset });
      }
      return reply(503, { title: 'Service Unavailable', status: 503 });
    }
    let text: unknown;
    try {
      text = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: unknown }).text;
    } catch {
      return reply(400, { title: 'Invalid Request', detail: 'body is not JSON' });
    }
    if (typeof text !== 'string' || text.length === 0)
      return reply(400, { title: 'Invalid Request', detail: 'text is required' });
    if (weighted(text) > 280)
      return reply(403, { title: 'Forbidden', detail: 'Your Tweet text is too long.', status: 403 });
    if (this.posts.some((p) => p.text === text)) {
      return reply(403, {
        title: 'Forbidden',
        detail: 'You are not allowed to create a Tweet with duplicate content.',
        status: 403,
      });
    }
    const id = String(this.nextId++);
    this.posts.push({ id, text, receivedAt: Date.now() });
    return reply(201, { data: { id, text, edit_history_tweet_ids: [id] } });
  }

  /** Returns why the request's OAuth 1.0a signature is wrong, or undefined when it is right. */
  private checkSignature(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('OAuth ')) return 'missing OAuth authorization';
    const params = new Map<string, string>();
    for (const m of header.slice(6).matchAll(/([a-z_]+)="([^"]*)"/g))
      params.set(m[1], decodeURIComponent(m[2]));
    const { apiKey, apiSecret, accessToken, accessSecret } = this.credentials;
    if (params.get('oauth_consumer_key') !== apiKey || params.get('oauth_token') !== accessToken)
      return 'unknown consumer key or token';
    if (params.get('oauth_signature_method') !== 'HMAC-SHA1') return 'unsupported signature method';
    const timestamp = Number(params.get('oauth_timestamp'));
    if (!(Math.abs(timestamp - Date.now() / 1_000) <= 300)) return 'timestamp out of window';
    const nonce = params.get('oauth_nonce') ?? '';
    if (!nonce || this.nonces.has(nonce)) return 'nonce reused';
    const url = `http://${req.headers.host}${req.url}`;
    const normalized = [...params]
      .filter(([k]) => k !== 'oauth_signature' && k !== 'realm')
      .map(([k, v]) => [enc(k), enc(v)])
      .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const base = `POST&${enc(url)}&${enc(normalized)}`;
    const expected = createHmac('sha1', `${enc(apiSecret)}&${enc(accessSecret)}`)
      .update(base)
      .digest();
    const given = Buffer.from(params.get('oauth_signature') ?? '', 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
    this.nonces.add(nonce);
    return undefined;
  }
}

/** X's weighting: URLs 23, code points below U+1100 and some punctuation 1, everything else 2. */
function weighted(text: string): number {
  let weight = 0;
  for (const part of text.split(/(https?:\/\/\S+)/)) {
    if (/^https?:\/\//.test(part)) {
      weight += 23;
      continue;
    }
    for (const ch of part) {
      const cp = ch.codePointAt(0)!;
      const light =
        cp <= 0x10ff ||
        (cp >= 0x2000 && cp <= 0x200d) ||
        (cp >= 0x2010 && cp <= 0x201f) ||
        (cp >= 0x2032 && cp <= 0x2037);
      weight += light ? 1 : 2;
    }
  }
  return weight;
}
