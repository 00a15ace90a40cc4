import { FeedErrorCode, FeedParseError } from '../feed-parse.error';
import type { AtomFeedMessage } from '../normalised-message';
import { attrValue, childNamed, childrenNamed, textAt, type XmlElement } from '../xml/xml-element';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

export function isAtomFeed(root: XmlElement): boolean {
  return root.name === 'feed' && root.namespace === ATOM_NAMESPACE;
}

/** JMA's PULL feeds (docs/feeds.md §1): one entry per telegram; `id`/`link` is the telegram URL. */
export function parseAtomFeed(feed: XmlElement): AtomFeedMessage {
  if (textAt(feed, 'id') === null) {
    throw new FeedParseError(FeedErrorCode.AtomMissingField, 'feed/id is missing or empty', { field: 'id' });
  }
  return {
    source: 'atom',
    format: 'atom',
    kind: 'feed.jmaxml_atom',
    feed: {
      title: textAt(feed, 'title'),
      subtitle: textAt(feed, 'subtitle'),
      id: textAt(feed, 'id'),
      updated: textAt(feed, 'updated'),
    },
    entries: childrenNamed(feed, 'entry').map((entry) => ({
      id: textAt(entry, 'id'),
      title: textAt(entry, 'title'),
      updated: textAt(entry, 'updated'),
      author: textAt(entry, 'author', 'name'),
      link: attrValue(childNamed(entry, 'link'), 'href'),
      content: textAt(entry, 'content'),
    })),
  };
}
