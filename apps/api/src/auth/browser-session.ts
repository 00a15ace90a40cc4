import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@bousai/domain';

/** The refresh token's cookie in browser mode: sent only to the browser-session routes, never readable by script. */
export const REFRESH_COOKIE = 'bousai_rt';
export const BROWSER_SESSION_PATH = '/v1/auth/browser';
/** The header a browser-session call must carry: a cross-site form cannot send it, and a cross-site script could
 * only with a CORS preflight the api never answers. */
export const CSRF_HEADER = 'x-bousai-csrf';

function cookieAttributes(maxAgeSeconds: number): string {
  // Secure: browsers accept it on http://localhost too, so development needs no exception
  return `Path=${BROWSER_SESSION_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`;
}

export function setRefreshCookie(res: Response, token: string, maxAgeSeconds: number): void {
  res.setHeader('Set-Cookie', `${REFRESH_COOKIE}=${token}; ${cookieAttributes(maxAgeSeconds)}`);
}

export function clearRefreshCookie(res: Response): void {
  res.setHeader('Set-Cookie', `${REFRESH_COOKIE}=; ${cookieAttributes(0)}`);
}

/** The refresh token from the request's Cookie header, if it carries one of ours. */
export function readRefreshCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{10,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * CSRF defence of the cookie-authenticated routes: the custom header must be present, and when the browser says
 * where the call comes from (`Origin`, `Sec-Fetch-Site`), it must be this api's own origin. SameSite=Strict already
 * keeps the cookie off cross-site requests; this refuses them even where a browser would not.
 */
export function assertSameOriginBrowserCall(req: Request, publicBaseUrl: string | undefined): void {
  const refuse = (why: string): never => {
    throw new DomainError(ErrorCode.Forbidden, `Browser session call refused: ${why}`);
  };
  if (req.get(CSRF_HEADER) !== '1') refuse(`send the header ${CSRF_HEADER}: 1`);
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') refuse('the request comes from another site');
  const origin = req.get('origin');
  if (origin === undefined) return;
  // the host, not the scheme: behind a TLS-terminating proxy the api itself may see plain http
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return refuse('the Origin header is malformed');
  }
  const sameHost = originHost !== '' && originHost === req.get('host');
  if (!sameHost && origin !== (publicBaseUrl && new URL(publicBaseUrl).origin)) {
    refuse('the request comes from another origin');
  }
}
