import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { Channel, signDeliveryAckToken } from '@bousai/domain';
import {
  type ChannelAdapter,
  type DeliveryOutcome,
  type DeliveryTarget,
  type OutgoingMessage,
  refuseUnsendable,
} from '../channel-adapter';
import { systemClock, type Clock } from './clock';
import type { FcmAccessTokenCache } from './fcm-access-token.cache';
import { FcmRequestBodies } from './fcm-message.builder';
import { classifyFcmResponse } from './fcm-response.classifier';
import { Http2RequestError, type Http2SessionPool } from './http2-session.pool';
import type { TokenBucket } from './token-bucket';

export interface FcmChannelAdapterDeps {
  projectId: string;
  pool: Http2SessionPool;
  tokens: FcmAccessTokenCache;
  /** Shared by every sender in the process: the quota is per project. */
  bucket: TokenBucket;
  requestTimeoutMs?: number;
  clock?: Clock;
  /** When set, each message carries a signed `ackToken` for its delivery, accepted for `ttlMs` after sending. */
  ackTokens?: { secret: string; ttlMs: number };
}

/**
 * FCM HTTP v1 for app push: one `messages:send` POST per registration token, all of a batch concurrently over
 * the session pool, each after a token from the client-side bucket. Per-target failures become outcomes
 * (`failed` with `endpointDead`, or `retry` with the provider's `Retry-After`); the caller retries the failed
 * subset with `backoffMs`. Nothing here throws for one bad target.
 */
export class FcmChannelAdapter implements ChannelAdapter, OnModuleDestroy {
  readonly channel = Channel.Fcm;
  private readonly logger = new Logger(FcmChannelAdapter.name);
  private readonly path: string;

  constructor(private readonly deps: FcmChannelAdapterDeps) {
    this.path = `/v1/projects/${encodeURIComponent(deps.projectId)}/messages:send`;
  }

  async send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]> {
    const clock = this.deps.clock ?? systemClock;
    const now = clock.now();
    const refused = refuseUnsendable(targets, message, now);
    if (refused) return refused;
    try {
      // one token for the whole batch (cached); if Google's token endpoint is down, every target waits for later
      await this.deps.tokens.get();
    } catch (err) {
      this.logger.warn({ alertId: message.alertId, error: messageOf(err) }, 'fcm access token unavailable');
      return targets.map((t) => ({ deliveryId: t.deliveryId, kind: 'retry', errorCode: 'AUTH_UNAVAILABLE' }));
    }
    const acks = this.deps.ackTokens;
    const bodies = new FcmRequestBodies(
      message,
      now,
      acks &&
        ((deliveryId) => signDeliveryAckToken({ deliveryId, expiresAt: now + acks.ttlMs }, acks.secret)),
    );
    return Promise.all(targets.map((t) => this.sendOne(t, bodies, clock)));
  }

  async onModuleDestroy(): Promise<void> {
    await this.deps.pool.close();
  }

  private async sendOne(
    target: DeliveryTarget,
    bodies: FcmRequestBodies,
    clock: Clock,
  ): Promise<DeliveryOutcome> {
    const { deliveryId } = target;
    const body = bodies.body(target.address, target.language, deliveryId);
    const wait = this.deps.bucket.reserve();
    if (wait > 0) await clock.sleep(wait);
    let accessToken: string;
    try {
      accessToken = await this.deps.tokens.get();
    } catch {
      return { deliveryId, kind: 'retry', errorCode: 'AUTH_UNAVAILABLE' };
    }
    try {
      let res = await this.post(accessToken, body);
      if (res.status === 401) {
        // expired or revoked early: one fresh token, one more try, then it is a retry like any other
        accessToken = await this.deps.tokens.refresh(accessToken);
        res = await this.post(accessToken, body);
      }
      return classifyFcmResponse(deliveryId, res, clock.now());
    } catch (err) {
      const errorCode = err instanceof Http2RequestError ? err.code : 'AUTH_UNAVAILABLE';
      return { deliveryId, kind: 'retry', errorCode };
    }
  }

  private post(accessToken: string, body: string) {
    return this.deps.pool.request(
      {
        ':method': 'POST',
        ':path': this.path,
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body,
      this.deps.requestTimeoutMs,
    );
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
