import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Channel } from '@bousai/domain';
import {
  type ChannelAdapter,
  type DeliveryOutcome,
  type DeliveryTarget,
  type OutgoingMessage,
  refuseUnsendable,
} from '../channel-adapter';
import { systemClock, type Clock } from '../fcm/clock';
import { PushRequestError, type PushAgents } from './push-agents';
import { egressErrorCode, isEgressErrorCode, type PushEgressGuard } from './push-egress.guard';
import { encryptPushPayload, PushEncryptionInputError } from './push-encryption';
import { PushEncryptionUnavailableError, type PushEncryptionPool } from './push-encryption.pool';
import type { VapidHeaderCache } from './vapid-header.cache';
import { WebPushPayloads } from './webpush-payload';
import { classifyWebPushResponse } from './webpush-response.classifier';

export interface WebPushChannelAdapterDeps {
  agents: PushAgents;
  vapid: VapidHeaderCache;
  /** Pushes of one batch in flight at once (each waits for a connection of its origin's agent). */
  concurrency: number;
  /**
   * Where pushes may go (`OutboundAddressPolicy`): checked per endpoint before anything is encrypted or sent, and
   * by the agents' `lookup` on every address a push service's name resolves to.
   */
  egress: PushEgressGuard;
  /** `WEBPUSH_ACK_URL`: the api's signed-ack endpoint the service worker posts to. */
  ackUrl?: string;
  /** `ACK_TOKEN_SECRET` and `ACK_TOKEN_TTL_SECONDS`: each payload carries a signed per-delivery ack token. */
  ackTokens?: { secret: string; ttlMs: number };
  /** Encrypt on worker threads (`WEBPUSH_ENCRYPT_THREADS` > 0) instead of on the event loop. */
  encryption?: PushEncryptionPool;
  clock?: Clock;
}

/** RFC 8030 §5.2: the TTL header is delay-seconds; push services clamp it to their own maximum (4 weeks). */
const MAX_TTL_SECONDS = 28 * 86_400;

/**
 * Web Push (RFC 8030) for browsers: each target's payload is encrypted for its subscription (RFC 8291 aes128gcm,
 * `encryptPushPayload`, on the encryption threads when configured) and POSTed to its endpoint with the VAPID
 * header cached per push-service origin (RFC 8292),
 * `TTL` from the alert's expiry, `Urgency: high` (RFC 8030 §5.3: delivered even to a device saving battery) and
 * a `Topic` per alert, so a cancellation notice replaces the original if the browser has not fetched it yet
 * (§5.4). Connections are kept alive per origin (undici). Per-target failures become outcomes; nothing here throws for
 * one bad subscription.
 */
export class WebPushChannelAdapter implements ChannelAdapter, OnModuleInit, OnModuleDestroy {
  readonly channel = Channel.WebPush;

  constructor(private readonly deps: WebPushChannelAdapterDeps) {}

  async send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]> {
    const clock = this.deps.clock ?? systemClock;
    const now = clock.now();
    const refused = refuseUnsendable(targets, message, now);
    if (refused) return refused;
    const { ackUrl, ackTokens } = this.deps;
    const payloads = new WebPushPayloads(message, {
      ...(ackUrl ? { url: ackUrl } : {}),
      ...(ackTokens ? { secret: ackTokens.secret } : {}),
      tokenExpiresAt: now + (ackTokens?.ttlMs ?? 0),
    });
    const headers = {
      'content-type': 'application/octet-stream',
      'content-encoding': 'aes128gcm',
      ttl: String(Math.min(MAX_TTL_SECONDS, Math.floor((message.expiresAt - now) / 1_000))),
      urgency: 'high',
      // RFC 8030 §5.4: at most 32 base64url characters; a UUID without its hyphens is exactly that
      topic: (message.cancelsAlertId ?? message.alertId).replace(/-/g, ''),
    };
    const outcomes: DeliveryOutcome[] = new Array<DeliveryOutcome>(targets.length);
    let next = 0;
    // a few lanes, each encrypting its next target just before sending it: the event loop never spends a whole
    // batch of ECDH in one go, and requests leave while later payloads are still being encrypted
    const lane = async () => {
      for (let i = next++; i < targets.length; i = next++) {
        outcomes[i] = await this.sendOne(targets[i], payloads, headers, clock);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency, targets.length) }, lane));
    return outcomes;
  }

  /** Encryption threads start with the process that will send, not with its first alert. */
  onModuleInit(): void {
    this.deps.encryption?.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.deps.agents.close();
    await this.deps.encryption?.close();
  }

  private async sendOne(
    target: DeliveryTarget,
    payloads: WebPushPayloads,
    headers: Record<string, string>,
    clock: Clock,
  ): Promise<DeliveryOutcome> {
    const { deliveryId } = target;
    const subscription = subscriptionOf(target);
    if (!subscription)
      return { deliveryId, kind: 'failed', errorCode: 'INVALID_SUBSCRIPTION', endpointDead: true };
    const endpoint = subscription.endpoint;
    // Refused endpoints fail for good but are not marked dead: the verdict rests on this installation's allow-list
    // and resolver (a list edited wrongly, a resolver answering private addresses for a push service), not on
    // the subscription, and marking every browser of a push service dead would outlast the fix. No connection
    // is made, so a refused endpoint costs a failed row per alert and nothing else.
    const refusal = this.deps.egress.refusal(endpoint);
    if (refusal)
      return { deliveryId, kind: 'failed', errorCode: egressErrorCode(refusal.reason), endpointDead: false };
    let body: Buffer;
    try {
      const payload = payloads.render(deliveryId, target.language, target.visitor === true);
      const { p256dh, auth } = subscription;
      body = this.deps.encryption
        ? await this.deps.encryption.encrypt(p256dh, auth, payload)
        : encryptPushPayload(p256dh, auth, payload);
    } catch (err) {
      if (err instanceof PushEncryptionUnavailableError)
        return { deliveryId, kind: 'retry', errorCode: 'ENCRYPTION_UNAVAILABLE' };
      // keys that are not a P-256 point or an auth secret of 16 bytes: the subscription is unusable
      if (err instanceof PushEncryptionInputError)
        return { deliveryId, kind: 'failed', errorCode: 'INVALID_SUBSCRIPTION', endpointDead: true };
      // anything else is ours, not the subscription's: it stays alive
      return { deliveryId, kind: 'failed', errorCode: 'ENCRYPTION_FAILED', endpointDead: false };
    }
    const audience = endpoint.origin;
    try {
      let authorization = this.deps.vapid.header(audience);
      let res = await this.deps.agents.post(endpoint, { ...headers, authorization }, body);
      if (res.status === 401) {
        // a push service that stopped accepting the cached JWT (clock skew, restart) gets one freshly signed
        this.deps.vapid.invalidate(audience, authorization);
        authorization = this.deps.vapid.header(audience);
        res = await this.deps.agents.post(endpoint, { ...headers, authorization }, body);
      }
      return classifyWebPushResponse(deliveryId, res, clock.now());
    } catch (err) {
      const errorCode = err instanceof PushRequestError ? err.code : 'CONNECTION_ERROR';
      // the push service's name resolved to an internal address: retrying would only ask again
      if (isEgressErrorCode(errorCode)) return { deliveryId, kind: 'failed', errorCode, endpointDead: false };
      return { deliveryId, kind: 'retry', errorCode };
    }
  }
}

/** The stored subscription (parseWebPushSubscription's shape), or undefined when it cannot be used. */
function subscriptionOf(target: DeliveryTarget): { endpoint: URL; p256dh: string; auth: string } | undefined {
  const sub = target.subscription as {
    endpoint?: unknown;
    keys?: { p256dh?: unknown; auth?: unknown };
  } | null;
  const raw = typeof sub?.endpoint === 'string' ? sub.endpoint : target.address;
  const { p256dh, auth } = sub?.keys ?? {};
  if (typeof p256dh !== 'string' || typeof auth !== 'string') return undefined;
  try {
    return { endpoint: new URL(raw), p256dh, auth };
  } catch {
    return undefined;
  }
}
