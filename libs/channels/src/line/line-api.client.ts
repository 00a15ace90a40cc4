import { createHash } from 'node:crypto';
import { fitText, LINE_TEXT_MAX } from '@bousai/domain';

export interface LineApiResponse {
  status: number;
  /** `x-line-request-id`, or for a 409 on a retry key the id of the request that was accepted first. */
  requestId?: string;
  retryAfter?: string;
  body: string;
}

export interface LineApiClientOptions {
  /** `https://api.line.me` in production; a fake's address in tests. */
  baseUrl: string;
  channelAccessToken: string;
  requestTimeoutMs: number;
}

/** Recipients per multicast request. */
export const LINE_MULTICAST_MAX = 500;

/**
 * The two LINE Messaging API calls bousai makes. `fetch` keeps connections to the API alive between requests;
 * each call carries an `X-Line-Retry-Key`, so a request retried after a timeout or 5xx whose first copy LINE did
 * accept is answered 409 instead of reaching the users twice.
 */
export class LineApiClient {
  private readonly base: string;

  constructor(private readonly options: LineApiClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  multicast(to: readonly string[], text: string, retryKey: string): Promise<LineApiResponse> {
    return this.post('/v2/bot/message/multicast', { to, messages: [{ type: 'text', text }] }, retryKey);
  }

  /** Up to 5 text messages to every friend of the official account. */
  broadcast(texts: readonly string[], retryKey: string): Promise<LineApiResponse> {
    const messages = texts.slice(0, 5).map((text) => ({ type: 'text', text }));
    return this.post('/v2/bot/message/broadcast', { messages }, retryKey);
  }

  private async post(path: string, body: unknown, retryKey: string): Promise<LineApiResponse> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.options.channelAccessToken}`,
        'content-type': 'application/json',
        'x-line-retry-key': retryKey,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
    });
    return {
      status: res.status,
      requestId:
        res.headers.get('x-line-accepted-request-id') ?? res.headers.get('x-line-request-id') ?? undefined,
      retryAfter: res.headers.get('retry-after') ?? undefined,
      body: await res.text(),
    };
  }
}

/**
 * A retry key that is the same every time the same request is made: a UUID (LINE requires the format) cut from
 * the SHA-256 of what identifies the request, with the version nibble set to 8 ("custom", RFC 9562).
 */
export function lineRetryKey(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Cuts a text to LINE's limit without splitting a surrogate pair, marking the cut. */
export function fitLineText(text: string): string {
  return fitText(text, LINE_TEXT_MAX);
}
