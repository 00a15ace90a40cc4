import { useSyncExternalStore } from 'react';
import { type ApiClient, apiError, createApiClient, type Schemas } from '../../../libs/web-client/src';

export type Operator = Schemas['OperatorSummary'];

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out'; notice?: 'ended' | { everywhere: number } }
  | { status: 'signed-in'; operator: Operator };

/** The CSRF header every browser-session call carries (a cross-site form cannot send one). */
const CSRF = { header: { 'x-bousai-csrf': '1' } } as const;
/** Renew this long before the access token runs out, so a call never leaves with an expiring token. */
const EARLY_MS = 30_000;

/**
 * The operator's browser session. The refresh token is an httpOnly cookie this code never sees; the access token
 * lives only in this object's memory, so a reload renews it through the cookie. Renewals are serialised across
 * tabs (Web Locks): refresh tokens are single-use, and two tabs presenting the same one would end the session.
 */
export class Session {
  private state: SessionState = { status: 'restoring' };
  private accessToken: string | undefined;
  private expiresAt = 0;
  private renewing: Promise<string | undefined> | undefined;
  private readonly listeners = new Set<() => void>();
  /** Unauthenticated calls: the browser-session routes themselves. */
  private readonly bare = createApiClient();
  /** Calls with the access token; a 401 renews it once. */
  readonly api: ApiClient = createApiClient({
    current: () => this.currentToken(),
    renew: () => this.renew(),
  });

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): SessionState => this.state;

  /** At page load: a session survives a reload through its cookie. */
  async restore(): Promise<void> {
    await this.renew();
  }

  async login(email: string, password: string): Promise<{ ok: true } | { ok: false; code: string }> {
    const { data, error, response } = await this.bare.POST('/v1/auth/browser/login', {
      body: { email, password },
      params: CSRF,
    });
    if (!data) return { ok: false, code: apiError(response, error).code };
    this.accept(data);
    return { ok: true };
  }

  async logout(everywhere: boolean): Promise<void> {
    if (everywhere) {
      const { data } = await this.api.POST('/v1/auth/logout-everywhere');
      this.end({ everywhere: data?.revokedSessions ?? 0 });
    } else {
      await this.api.POST('/v1/auth/browser/logout');
      this.end(undefined);
    }
  }

  /** The access token for a call or a socket, renewed first when it is about to run out. */
  async currentToken(): Promise<string | undefined> {
    if (this.accessToken && this.expiresAt - Date.now() > EARLY_MS) return this.accessToken;
    if (this.state.status === 'signed-out') return undefined;
    return this.renew();
  }

  /** Trades the refresh cookie for a new access token; one renewal at a time, shared by every caller. */
  renew(): Promise<string | undefined> {
    this.renewing ??= this.renewAcrossTabs().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async renewAcrossTabs(): Promise<string | undefined> {
    const locks = (navigator as Partial<Navigator>).locks;
    return locks ? locks.request('bousai-console-refresh', () => this.refreshOnce()) : this.refreshOnce();
  }

  private async refreshOnce(): Promise<string | undefined> {
    const wasSignedIn = this.state.status === 'signed-in';
    try {
      const { data } = await this.bare.POST('/v1/auth/browser/refresh', { params: CSRF });
      if (data) return this.accept(data);
    } catch {
      // the network failed: keep what we have, the next call tries again
      if (wasSignedIn) return this.accessToken;
    }
    this.end(wasSignedIn ? 'ended' : undefined);
    return undefined;
  }

  private accept(session: Schemas['BrowserSessionDto']): string {
    this.accessToken = session.accessToken;
    this.expiresAt = Date.now() + session.expiresIn * 1000;
    this.set({ status: 'signed-in', operator: session.operator });
    return session.accessToken;
  }

  private end(notice: 'ended' | { everywhere: number } | undefined): void {
    this.accessToken = undefined;
    this.expiresAt = 0;
    this.set({ status: 'signed-out', notice });
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

export const session = new Session();

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
