import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault the fake answers the next `times` requests with, whatever their recipients. */
export type FakeLineFault =
  | { kind: 'rate-limit'; times: number; retryAfterSeconds?: number }
  | { kind: 'monthly-limit'; times: number }
  | { kind: 'server-error'; times: number; status?: 500 | 502 | 503 };

export interface FakeLineReceived {
  /** `multicast` (one entry per recipient) or `broadcast` (userId undefined). */
  endpoint: 'multicast' | 'broadcast';
  userId?: string;
  text: string;
  retryKey?: string;
  receivedAt: number;
}

export interface FakeLineOptions {
  channelAccessToken: string;
  /** Delay before answering every request. */
  latencyMs?: number;
}

const USER_ID = /^U[0-9a-f]{32}$/;

/**
 * A LINE Messaging API stand-in speaking its HTTP contract: Bearer channel access token, `multicast` (1–500 user
 * ids, 1–5 messages) and `broadcast`, text messages ≤ 5,000 characters, `X-Line-Retry-Key` (a key seen before
 * answers 409 with `x-line-accepted-request-id` and delivers nothing), 400 with `details[].property = to[i]` for
 * malformed or unknown user ids, and scripted 429/5xx faults.
 */
export class FakeLineServer {
  readonly received: FakeLineReceived[] = [];
  /** Every request that reached the API with a valid token, in order, with its status. */
  readonly requests: { endpoint: string; status: number; to: number; at: number }[] = [];
  private readonly unknownUsers = new Set<string>();
  private readonly acceptedKeys = new Map<string, string>();
  private faults: FakeLineFault[] = [];
  private server?: Server;

  private constructor(private readonly options: FakeLineOptions) {}

  static async start(options: FakeLineOptions): Promise<FakeLineServer> {
    const fake = new FakeLineServer(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** User ids LINE does not know (the account was deleted): named in a 400. */
  unknown(...userIds: string[]): void {
    for (const u of userIds) this.unknownUsers.add(u);
  }

  fail(fault: FakeLineFault): void {
    this.faults.push({ ...fault });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const requestId = randomUUID();
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-line-request-id': requestId,
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const endpoint =
      req.url === '/v2/bot/message/multicast'
        ? 'multicast'
        : req.url === '/v2/bot/message/broadcast'
          ? 'broadcast'
          : undefined;
    if (req.method !== 'POST' || !endpoint) return reply(404, { message: 'Not found' });
    if (req.headers.authorization !== `Bearer ${this.options.channelAccessToken}`) {
      return reply(401, {
        message: 'Authentication failed. Confirm that the access token in the authorization header is valid.',
      });
    }
    let body: { to?: unknown; messages?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return reply(400, { message: 'The request body has 1 error(s)' });
    }
    const to = endpoint === 'multicast' ? body.to : [];
    const record = (status: number) =>
      this.requests.push({ endpoint, status, to: Array.isArray(to) ? to.length : 0, at: Date.now() });

    const fault = this.faults[0];
    if (fault) {
      if (--fault.times <= 0) this.faults.shift();
      record(fault.kind === 'server-error' ? (fault.status ?? 500) : 429);
      if (fault.kind === 'rate-limit') {
        const headers: Record<string, string> =
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
        return reply(429, { message: 'The API rate limit has been exceeded. Try again later.' }, headers);
      }
      if (fault.kind === 'monthly-limit')
        return reply(429, { message: 'You have reached your monthly limit.' });
      return reply(fault.status ?? 500, { message: 'Internal server error' });
    }

    const details: { message: string; property: string }[] = [];
    if (endpoint === 'multicast') {
      if (!Array.isArray(to) || to.length < 1 || to.length > 500) {
        details.push({ message: 'Size must be between 1 and 500', property: 'to' });
      } else {
        to.forEach((u, i) => {
          if (typeof u !== 'string' || !USER_ID.test(u) || this.unknownUsers.has(u))
            details.push({ message: 'The value is not a valid user id', property: `to[${i}]` });
        });
      }
    }
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length < 1 || messages.length > 5) {
      details.push({ message: 'Size must be between 1 and 5', property: 'messages' });
    } else {
      messages.forEach((m: { type?: unknown; text?: unknown }, i) => {
        if (m?.type !== 'text' || typeof m.text !== 'string' || m.text.length < 1 || m.text.length > 5_000)
          details.push({ message: 'Length must be between 1 and 5000', property: `messages[${i}].text` });
      });
    }
    if (details.length > 0) {
      record(400);
      return reply(400, { message: 'The request body has 1 error(s)', details });
    }

    const retryKey = req.headers['x-line-retry-key'] as string | undefined;
    const accepted = retryKey ? this.acceptedKeys.get(retryKey) : undefined;
    if (accepted) {
      record(409);
      return reply(
        409,
        { message: 'The retry key is already accepted' },
        { 'x-line-accepted-request-id': accepted },
      );
    }
    if (retryKey) this.acceptedKeys.set(retryKey, requestId);
    record(200);
    const receivedAt = Date.now();
    for (const m of messages as { text: string }[]) {
      if (endpoint === 'broadcast') this.received.push({ endpoint, text: m.text, retryKey, receivedAt });
      else
        for (const userId of to as string[])
          this.received.push({ endpoint, userId, text: m.text, retryKey, receivedAt });
    }
    return reply(200, {});
  }
}
