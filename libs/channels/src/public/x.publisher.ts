import { PublicationTarget, renderAlertText } from '@bousai/domain';
import type { XApiClient } from '../x/x-api.client';
import { composeXPost } from '../x/x-text';
import type { PublicPost, PublicPublisher, PublishOutcome } from './public-publisher';

/**
 * A post on the municipality's X account: the Japanese text, drill-marked by rendering, shortened to X's
 * weighted limit with the link to the public alert page kept. X refuses an identical recent post; that means the
 * alert is already up, so it counts as posted.
 */
export class XPublisher implements PublicPublisher {
  readonly target = PublicationTarget.X;

  constructor(private readonly client: XApiClient) {}

  async publish(post: PublicPost): Promise<PublishOutcome> {
    const { title, body } = renderAlertText(post.texts, 'ja', { isDrill: post.isDrill });
    const text = composeXPost(title, body, post.link);
    const result = await this.client.post(text);
    switch (result.kind) {
      case 'posted':
        return { kind: 'posted', text, providerId: result.id };
      case 'duplicate':
        return { kind: 'posted', text };
      case 'retry':
        return { kind: 'retry', errorCode: result.errorCode, retryAfterMs: result.retryAfterMs };
      case 'failed':
        return { kind: 'failed', errorCode: result.errorCode };
    }
  }
}
