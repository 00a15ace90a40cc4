import { createSign, randomUUID } from 'node:crypto';
import type { Credential, GoogleOAuthAccessToken } from 'firebase-admin/app';
import { DomainError, ErrorCode } from '@bousai/domain';

/** The fields of a Google service-account key file that the JWT-bearer grant needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  project_id?: string;
  token_uri?: string;
}

export const FCM_OAUTH_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The service-account flow of Google OAuth 2.0 (RFC 7523 JWT-bearer grant): sign an RS256 assertion with the
 * account's key and trade it for an access token at `tokenUrl`.
 *
 * Why not firebase-admin's `cert()`: in firebase-admin 14 it delegates to google-auth-library 11, whose token
 * request goes to the hard-coded `https://oauth2.googleapis.com/token` (gtoken's GOOGLE_TOKEN_URL); it ignores
 * the key file's `token_uri`, and `cert()`'s `httpAgent` never reaches the JWT client for an object key. So a
 * local fake token endpoint is reachable only through this credential. It implements firebase-admin's
 * `Credential`, so the production path (`cert(file)` / `applicationDefault()`) and this one are interchangeable.
 */
export class ServiceAccountJwtCredential implements Credential {
  constructor(
    private readonly key: ServiceAccountKey,
    private readonly tokenUrl: string = key.token_uri ?? 'https://oauth2.googleapis.com/token',
    private readonly scope: string = FCM_OAUTH_SCOPE,
  ) {}

  async getAccessToken(): Promise<GoogleOAuthAccessToken> {
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: this.assertion() }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as Partial<GoogleOAuthAccessToken> & { error?: string };
    if (!res.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      const reason = typeof body.error === 'string' ? ` (${body.error})` : '';
      throw new DomainError(ErrorCode.Unavailable, `OAuth token endpoint answered ${res.status}${reason}`);
    }
    return { access_token: body.access_token, expires_in: body.expires_in };
  }

  private assertion(): string {
    const iat = Math.floor(Date.now() / 1_000);
    const header = {
      alg: 'RS256',
      typ: 'JWT',
      ...(this.key.private_key_id ? { kid: this.key.private_key_id } : {}),
    };
    const claims = {
      iss: this.key.client_email,
      scope: this.scope,
      aud: this.tokenUrl,
      iat,
      exp: iat + 3_600,
      jti: randomUUID(),
    };
    const unsigned = `${b64url(header)}.${b64url(claims)}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(this.key.private_key, 'base64url');
    return `${unsigned}.${signature}`;
  }
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
