import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface XCredentials {
  /** The app's API key and secret (OAuth 1.0a consumer). */
  apiKey: string;
  apiSecret: string;
  /** The municipality account's access token and secret: they do not expire, unlike OAuth 2.0 user tokens. */
  accessToken: string;
  accessSecret: string;
}

export interface XApiClientOptions {
  /** `https://api.x.com` in production; a fake's address in tests. */
  baseUrl: string;
  credentials: XCredentials;
  requestTimeoutMs: number;
}

export type XPostResult =
  | { kind: 'posted'; id: string }
  /** X refuses a post identical to a recent one of the account: the alert is already up. */
  | { kind: 'duplicate' }
  | { kind: 'retry'; errorCode: string; retryAfterMs?: number }
  | { kind: 'failed'; errorCode: string; detail: string };

/**
 * X API v2 `POST /2/tweets` as the municipality's account, signed with OAuth 1.0a (HMAC-SHA1) user context. The
 * JSON body is not part of the OAuth signature base string (only form bodies are), so only the URL is signed.
 */
export class XApiClient {
  private readonly url: string;
  private readonly oauth: OAuth;

  constructor(private readonly options: XApiClientOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/2/tweets`;
    this.oauth = new OAuth({
      consumer: { key: options.credentials.apiKey, secret: options.credentials.apiSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
  }

  async post(text: string, now: number = Date.now()): Promise<XPostResult> {
    const { accessToken, accessSecret } = this.options.credentials;
    const auth = this.oauth.toHeader(
      this.oauth.authorize({ url: this.url, method: 'POST' }, { key: accessToken, secret: accessSecret }),
    );
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { authorization: auth.Authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { kind: 'retry', errorCode: timedOut ? 'X_TIMEOUT' : 'X_UNREACHABLE' };
    }
    const body = await res.text();
    if (res.status === 201 || res.status === 200) {
      const id = parseJson<{ data?: { id?: string } }>(body)?.data?.id;
      return id
        ? { kind: 'posted', id }
        : { kind: 'failed', errorCode: 'X_BAD_RESPONSE', detail: 'no post id' };
    }
    const detail = parseJson<{ detail?: string; title?: string }>(body);
    const text403 = `${detail?.detail ?? ''} ${detail?.title ?? ''}`;
    if (res.status === 403 && /duplicate/i.test(text403)) return { kind: 'duplicate' };
    if (res.status === 429) {
      // X says when the window resets (epoch seconds), not how long to wait
      const reset = Number(res.headers.get('x-rate-limit-reset'));
      const retryAfterMs = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1_000 - now) : undefined;
      return { kind: 'retry', errorCode: 'X_RATE_LIMITED', retryAfterMs };
    }
    if (res.status >= 500) return { kind: 'retry', errorCode: `X_HTTP_${res.status}` };
    return { kind: 'failed', errorCode: `X_HTTP_${res.status}`, detail: text403.trim() || res.statusText };
  }
}

function parseJson<T>(body: string): T | undefined {
  try {
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}
