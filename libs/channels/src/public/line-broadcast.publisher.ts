import { PublicationTarget, renderAlertText } from '@bousai/domain';
import { parseRetryAfter } from '../fcm/retry-backoff';
import { fitLineText, type LineApiClient, lineRetryKey } from '../line/line-api.client';
import type { PublicPost, PublicPublisher, PublishOutcome } from './public-publisher';

/** Languages a broadcast carries, one message each (LINE allows 5 per request): friends are not all Japanese. */
const BROADCAST_LANGUAGES = ['ja', 'ja-easy', 'en'] as const;

/**
 * The LINE official account's broadcast: every friend of the account gets the alert, whether or not they linked
 * their account to a resident. One message per language the alert has among Japanese, やさしい日本語 and
 * English, each drill-marked by rendering. The retry key is the alert's, so a broadcast LINE accepted is never
 * sent twice, whatever happens to the job.
 */
export class LineBroadcastPublisher implements PublicPublisher {
  readonly target = PublicationTarget.LineBroadcast;

  constructor(private readonly client: LineApiClient) {}

  async publish(post: PublicPost): Promise<PublishOutcome> {
    const texts = BROADCAST_LANGUAGES.filter((l) => post.texts[l]).map((l) => {
      const { title, body } = renderAlertText(post.texts, l, { isDrill: post.isDrill });
      return fitLineText(post.link ? `${title}\n\n${body}\n${post.link}` : `${title}\n\n${body}`);
    });
    if (texts.length === 0) {
      const { title, body } = renderAlertText(post.texts, 'ja', { isDrill: post.isDrill });
      texts.push(fitLineText(`${title}\n\n${body}`));
    }
    let res;
    try {
      res = await this.client.broadcast(texts, lineRetryKey('broadcast', post.alertId));
    } catch {
      return { kind: 'retry', errorCode: 'LINE_UNREACHABLE' };
    }
    const text = texts.join('\n\n');
    if (res.status === 200 || (res.status === 409 && res.requestId)) {
      return { kind: 'posted', text, providerId: res.requestId };
    }
    if (res.status === 429 && /monthly limit/i.test(res.body))
      return { kind: 'failed', errorCode: 'LINE_MONTHLY_LIMIT' };
    if (res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403) {
      return {
        kind: 'retry',
        errorCode: res.status === 429 ? 'LINE_RATE_LIMITED' : `LINE_HTTP_${res.status}`,
        retryAfterMs: parseRetryAfter(res.retryAfter),
      };
    }
    return { kind: 'failed', errorCode: `LINE_HTTP_${res.status}` };
  }
}
