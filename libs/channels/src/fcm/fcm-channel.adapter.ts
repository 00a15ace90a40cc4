import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
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

/** Requests of a batch started before the rest of it is built (see `send`). */
const FIRST_WAVE = 32;

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
  /**
   * In a running app (`onApplicationBootstrap`): warm up at boot and again every this many ms (0: never), so an
   * alert finds a fresh access token and connected sessions (`warmUp`).
   */
  keepWarmMs?: number;
}

/**
 * FCM HTTP v1 for app push: one `messages:send` POST per registration token, all of a batch concurrently over
 * the session pool, each after a token from the client-side bucket. Per-target failures become outcomes
 * (`failed` with `endpointDead`, or `retry` with the provider's `Retry-After`); the caller retries the failed
 * subset with `backoffMs`. Nothing here throws for one bad target.
 */
export class FcmChannelAdapter implements ChannelAdapter, OnApplicationBootstrap, OnModuleDestroy {
  readonly channel = Channel.Fcm;
  private readonly logger = new Logger(FcmChannelAdapter.name);
  private readonly path: string;
  private keepWarm?: NodeJS.Timeout;
  private warming?: Promise<boolean>;

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
    const outcomes: Promise<DeliveryOutcome>[] = [];
    for (let i = 0; i < targets.length; i++) {
      // the first few go on the wire before the rest are built and issued: building, signing and starting 500
      // streams takes tens of milliseconds in which nothing would leave (and the peer then reads them as one burst)
      if (i === FIRST_WAVE) await new Promise((r) => setImmediate(r));
      outcomes.push(this.sendOne(targets[i], bodies, clock));
    }
    return Promise.all(outcomes);
  }

  /**
   * Gets what the first message of an alert would otherwise wait for: an access token (a round trip to Google's
   * token endpoint and an RS256 signature) and every HTTP/2 session connected with the peer's SETTINGS in (TCP,
   * TLS and h2 handshakes). Against a fake on loopback that is a few milliseconds; against Google over the
   * internet it is a token round trip and three handshakes' worth of round trips, on the first alert after boot
   * or after a quiet hour. Cheap when already warm: a cached token, open sessions. Resolves to whether everything
   * is ready; never rejects (a failure is logged, and sends retry as they always do).
   */
  warmUp(): Promise<boolean> {
    this.warming ??= this.warmOnce().finally(() => {
      this.warming = undefined;
    });
    return this.warming;
  }

  onApplicationBootstrap(): void {
    const every = this.deps.keepWarmMs ?? 0;
    if (every <= 0) return;
    void this.warmUp();
    // the token is refreshed ahead of its expiry and sessions a peer closed while idle are reopened, so an alert
    // after hours of quiet starts as fast as one after a busy minute
    this.keepWarm = setInterval(() => void this.warmUp(), every);
    this.keepWarm.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.keepWarm);
    await this.deps.pool.close();
  }

  private async warmOnce(): Promise<boolean> {
    try {
      await this.deps.tokens.get();
    } catch (err) {
      this.logger.warn({ error: messageOf(err) }, 'fcm warm-up: access token unavailable');
      return false;
    }
    const sessions = await this.deps.pool.warm();
    const wanted = this.deps.pool.size;
    if (sessions < wanted) this.logger.warn({ sessions, wanted }, 'fcm warm-up: not every session connected');
    return sessions === wanted;
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
