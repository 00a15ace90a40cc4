import { Logger } from '@nestjs/common';
import { Channel, lineMessageText } from '@bousai/domain';
import {
  type ChannelAdapter,
  type DeliveryOutcome,
  type DeliveryTarget,
  type OutgoingMessage,
  refuseUnsendable,
} from '../channel-adapter';
import { systemClock, type Clock } from '../fcm/clock';
import { pickText } from '../fcm/fcm-message.builder';
import { parseRetryAfter } from '../fcm/retry-backoff';
import type { TokenBucket } from '../fcm/token-bucket';
import {
  fitLineText,
  LINE_MULTICAST_MAX,
  lineRetryKey,
  type LineApiClient,
  type LineApiResponse,
} from './line-api.client';

export interface LineChannelAdapterDeps {
  client: LineApiClient;
  /** LINE limits multicast per channel (200 requests/s); one token per request. */
  bucket: TokenBucket;
  clock?: Clock;
}

/** LINE's error body: a message and, for a bad request, which property was wrong (`to[3]`). */
interface LineErrorBody {
  message?: string;
  details?: { message?: string; property?: string }[];
}

const RECIPIENT_PROPERTY = /^to\[(\d+)\]$/;

/**
 * LINE official account messages to the residents who linked their LINE account: one `multicast` per language in
 * the batch (a batch holds ≤ 500 targets, LINE's limit per request). LINE answers for the request as a whole, so
 * every target of a request shares its outcome, except a 400 that names recipients (`to[i]`): those are dead
 * and the rest of the request goes again. Users who blocked the account are dropped by LINE silently.
 */
export class LineChannelAdapter implements ChannelAdapter {
  readonly channel = Channel.Line;
  private readonly logger = new Logger(LineChannelAdapter.name);

  constructor(private readonly deps: LineChannelAdapterDeps) {}

  async send(targets: readonly DeliveryTarget[], message: OutgoingMessage): Promise<DeliveryOutcome[]> {
    const clock = this.deps.clock ?? systemClock;
    const refused = refuseUnsendable(targets, message, clock.now());
    if (refused) return refused;

    const byText = new Map<string, DeliveryTarget[]>();
    for (const t of targets) {
      const { title, body } = pickText(message, t.language);
      const text = fitLineText(lineMessageText(title, body));
      const group = byText.get(text);
      if (group) group.push(t);
      else byText.set(text, [t]);
    }
    const requests: Promise<DeliveryOutcome[]>[] = [];
    for (const [text, group] of byText) {
      for (let i = 0; i < group.length; i += LINE_MULTICAST_MAX) {
        requests.push(this.multicast(group.slice(i, i + LINE_MULTICAST_MAX), text, message, clock));
      }
    }
    return (await Promise.all(requests)).flat();
  }

  private async multicast(
    group: readonly DeliveryTarget[],
    text: string,
    message: OutgoingMessage,
    clock: Clock,
  ): Promise<DeliveryOutcome[]> {
    const wait = this.deps.bucket.reserve();
    if (wait > 0) await clock.sleep(wait);
    const to = group.map((t) => t.address);
    // the same alert, text and recipients give the same key, so a retry LINE already accepted is not sent again
    const retryKey = lineRetryKey(message.alertId, message.cancelsAlertId ?? '', text, ...to);
    let res: LineApiResponse;
    try {
      res = await this.deps.client.multicast(to, text, retryKey);
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return group.map((t) => ({
        deliveryId: t.deliveryId,
        kind: 'retry',
        errorCode: timedOut ? 'LINE_TIMEOUT' : 'LINE_UNREACHABLE',
      }));
    }
    return classifyLineResponse(group, res, clock.now(), this.logger);
  }
}

/** One LINE answer → the outcome of every target of its request. */
export function classifyLineResponse(
  group: readonly DeliveryTarget[],
  res: LineApiResponse,
  now: number,
  logger?: Logger,
): DeliveryOutcome[] {
  const all = (outcome: (t: DeliveryTarget) => DeliveryOutcome): DeliveryOutcome[] => group.map(outcome);
  // 409: this retry key was accepted before (our earlier try reached LINE); the users have it
  if (res.status === 200 || (res.status === 409 && res.requestId)) {
    return all((t) => ({ deliveryId: t.deliveryId, kind: 'sent', providerMessageId: res.requestId }));
  }
  const body = parseErrorBody(res.body);
  if (res.status === 400) {
    const dead = new Set<number>();
    for (const d of body.details ?? []) {
      const m = RECIPIENT_PROPERTY.exec(d.property ?? '');
      if (m) dead.add(Number(m[1]));
    }
    if (dead.size > 0 && dead.size === (body.details ?? []).length) {
      // only recipients were wrong: they are dead, the others go again in a request without them
      return group.map((t, i) =>
        dead.has(i)
          ? {
              deliveryId: t.deliveryId,
              kind: 'failed',
              errorCode: 'LINE_INVALID_USER_ID',
              endpointDead: true,
            }
          : { deliveryId: t.deliveryId, kind: 'retry', errorCode: 'LINE_BATCH_REJECTED', retryAfterMs: 0 },
      );
    }
    return all((t) => ({
      deliveryId: t.deliveryId,
      kind: 'failed',
      errorCode: 'LINE_BAD_REQUEST',
      endpointDead: false,
    }));
  }
  if (res.status === 429) {
    // the monthly message allowance is spent: no retry helps before the month ends
    if (/monthly limit/i.test(body.message ?? '')) {
      logger?.error('LINE monthly message limit reached; LINE deliveries fail until it resets');
      return all((t) => ({
        deliveryId: t.deliveryId,
        kind: 'failed',
        errorCode: 'LINE_MONTHLY_LIMIT',
        endpointDead: false,
      }));
    }
    const retryAfterMs = parseRetryAfter(res.retryAfter, now);
    return all((t) => ({
      deliveryId: t.deliveryId,
      kind: 'retry',
      errorCode: 'LINE_RATE_LIMITED',
      retryAfterMs,
    }));
  }
  if (res.status === 401 || res.status === 403) {
    // a revoked or wrong channel access token: an operator must fix the configuration; retries show it failing
    logger?.error({ status: res.status }, 'LINE refused the channel access token');
    return all((t) => ({ deliveryId: t.deliveryId, kind: 'retry', errorCode: 'LINE_UNAUTHORIZED' }));
  }
  const retryAfterMs = parseRetryAfter(res.retryAfter, now);
  return all((t) => ({
    deliveryId: t.deliveryId,
    kind: 'retry',
    errorCode: `LINE_HTTP_${res.status}`,
    retryAfterMs,
  }));
}

function parseErrorBody(body: string): LineErrorBody {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}
