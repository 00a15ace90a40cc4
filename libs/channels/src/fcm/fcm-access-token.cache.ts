import type { Credential } from 'firebase-admin/app';
import { systemClock, type Clock } from './clock';

/** Refresh this long before Google's stated expiry, so no request leaves with a token about to lapse. */
export const ACCESS_TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The OAuth 2.0 access token for FCM, fetched from a firebase-admin `Credential` once and shared by every send
 * until ~5 minutes before it expires (Google issues them for an hour). Refreshes are single-flight: a thousand
 * concurrent sends that find the token stale cause one request to the token endpoint.
 */
export class FcmAccessTokenCache {
  private current?: { token: string; expiresAt: number };
  private inFlight?: Promise<string>;

  constructor(
    private readonly credential: Credential,
    private readonly clock: Clock = systemClock,
    private readonly marginMs = ACCESS_TOKEN_REFRESH_MARGIN_MS,
  ) {}

  /** A valid token, from the cache when it is fresh. */
  get(): Promise<string> {
    const cur = this.current;
    if (cur && this.clock.now() < cur.expiresAt - this.marginMs) return Promise.resolve(cur.token);
    return this.fetch();
  }

  /**
   * FCM rejected `rejected` with 401: fetch a new token unless another send already replaced it, in which case
   * the replacement is returned without asking again.
   */
  refresh(rejected: string): Promise<string> {
    if (this.current && this.current.token !== rejected) return Promise.resolve(this.current.token);
    this.current = undefined;
    return this.fetch();
  }

  private fetch(): Promise<string> {
    this.inFlight ??= this.credential
      .getAccessToken()
      .then(({ access_token, expires_in }) => {
        this.current = { token: access_token, expiresAt: this.clock.now() + expires_in * 1_000 };
        return access_token;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
