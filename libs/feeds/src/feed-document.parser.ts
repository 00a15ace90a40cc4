import { isAtomFeed, parseAtomFeed } from './atom/atom-feed.parser';
import { isCapAlert, parseCapAlert } from './cap/cap-alert.parser';
import { FeedErrorCode, FeedParseError } from './feed-parse.error';
import { isJmaReport, parseJmaReport } from './jma/jma-report.parser';
import type { NormalisedMessage } from './normalised-message';
import { readXml, type SafeXmlOptions } from './xml/safe-xml.reader';

export interface ParseFeedOptions extends SafeXmlOptions {
  /** The document's URL or file name; a JMA telegram's data type is read from it when it carries one. */
  name?: string | null;
}

/**
 * Parses one untrusted feed document — a JMA 防災情報XML Report, a CAP 1.2/1.1 alert or a JMA Atom feed — into
 * the normalised message. Pure: no I/O, no Nest. Throws only `FeedParseError` (see `FeedErrorCode`).
 */
export function parseFeedDocument(
  input: Uint8Array | string,
  options: ParseFeedOptions = {},
): NormalisedMessage {
  try {
    const root = readXml(input, options);
    if (isJmaReport(root)) return parseJmaReport(root, options.name);
    if (isCapAlert(root)) return parseCapAlert(root);
    if (isAtomFeed(root)) return parseAtomFeed(root);
    throw new FeedParseError(
      FeedErrorCode.XmlUnknownRoot,
      `unknown document element ${root.name}${root.namespace ? ` in ${root.namespace}` : ''}`,
      { element: root.name, namespace: root.namespace },
    );
  } catch (err) {
    if (err instanceof FeedParseError) throw err;
    throw new FeedParseError(
      FeedErrorCode.ParseFailed,
      `document could not be read: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
