import { generateVAPIDKeys, getVapidHeaders } from 'web-push';
import { systemClock, type Clock } from '../fcm/clock';

export interface VapidKeys {
  /** base64url uncompressed P-256 point (65 bytes), the browser's `applicationServerKey`. */
  publicKey: string;
  /** base64url P-256 private scalar (32 bytes). */
  privateKey: string;
  /** `mailto:` or `https:` contact for the push service operators (the JWT's `sub`). */
  subject: string;
}

/** A fresh VAPID key pair, as `npm run vapid:generate` prints it. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return generateVAPIDKeys();
}

/** How long a signed VAPID JWT lives; RFC 8292 §2 lets push services refuse anything beyond 24 h. */
export const VAPID_TOKEN_LIFETIME_MS = 12 * 3_600_000;
/** A token is replaced this long before it expires, so no request carries one that expires in flight. */
export const VAPID_REFRESH_MARGIN_MS = 3_600_000;

interface Entry {
  header: string;
  expiresAt: number;
}

/**
 * The `Authorization: vapid t=…, k=…` header per push-service origin. RFC 8292's JWT depends only on the
 * audience (the origin), never on the subscription, so it is signed once per origin and reused for hours instead
 * of once per message: web-push's default path spends most of its CPU per message on that ES256 signature
 * (docs/performance.md, Anchors). Re-signed `VAPID_REFRESH_MARGIN_MS` before expiry, or at once after a 401.
 */
export class VapidHeaderCache {
  private readonly entries = new Map<string, Entry>();
  private signatures = 0;

  constructor(
    private readonly keys: VapidKeys,
    private readonly clock: Clock = systemClock,
    private readonly lifetimeMs = VAPID_TOKEN_LIFETIME_MS,
  ) {}

  /** The header for `audience` (scheme://host[:port] of the endpoint). */
  header(audience: string): string {
    const now = this.clock.now();
    const entry = this.entries.get(audience);
    if (entry && entry.expiresAt - VAPID_REFRESH_MARGIN_MS > now) return entry.header;
    return this.sign(audience, now);
  }

  /** Drops the header a push service refused (401) unless another caller already replaced it. */
  invalidate(audience: string, header: string): void {
    if (this.entries.get(audience)?.header === header) this.entries.delete(audience);
  }

  /** JWTs signed so far (what the cache saves is visible here and in the fake's `distinctJwts`). */
  signed(): number {
    return this.signatures;
  }

  private sign(audience: string, now: number): string {
    const expiresAt = now + this.lifetimeMs;
    const { Authorization } = getVapidHeaders(
      audience,
      this.keys.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      Math.floor(expiresAt / 1_000),
    );
    this.signatures++;
    this.entries.set(audience, { header: Authorization, expiresAt: Math.floor(expiresAt / 1_000) * 1_000 });
    return Authorization;
  }
}
