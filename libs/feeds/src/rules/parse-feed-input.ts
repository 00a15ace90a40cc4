import { ValidationError } from '@bousai/domain';
import { parseFeedDocument, type ParseFeedOptions } from '../feed-document.parser';
import type { FeedMessage } from './evaluate-feed-rules';
import { JAlertRelaySchema, toJAlertMessage } from './jalert-message';

/**
 * A raw document as received: a J-ALERT relay JSON message (it starts with `{`) or an XML document (JMA XML, CAP,
 * Atom). Throws `FeedParseError` for XML that is refused and `ValidationError` for JSON that breaks the contract.
 */
export function parseFeedInput(raw: string, options: ParseFeedOptions = {}): FeedMessage {
  if (raw.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new ValidationError(
        `J-ALERT message is not JSON: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const result = JAlertRelaySchema.safeParse(json);
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      throw new ValidationError(`J-ALERT message is invalid: ${issues[0].path}: ${issues[0].message}`, {
        issues,
      });
    }
    return toJAlertMessage(result.data);
  }
  return parseFeedDocument(raw, options);
}
