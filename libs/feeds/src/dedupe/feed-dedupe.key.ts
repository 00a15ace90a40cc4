import type { CapMessage, JmaMessage, NormalisedMessage } from '../normalised-message';

/** The identity and revision of a parsed message, for step 2 of the dedupe in docs/feeds.md §1. */
export interface FeedDedupeKey {
  /** Equal keys are the same report delivered twice (two feeds, a re-poll, a replay). */
  key: string;
  /** Event ids to relate revisions, 訂正 and 取消 by (multi-value EventIDs split); empty when there is no event. */
  eventIds: string[];
  /** Reports of one stream supersede each other (e.g. VPWW53 per 府県予報区; EEW per type and EventID). */
  stream: string;
}

function part(v: string | null | undefined): string {
  return v ?? '';
}

/**
 * JMA: `(dataType, Control/Status, EventID, Serial, InfoType, ReportDateTime)`; when Serial is empty the
 * Control/DateTime is added. Without an EventID (VPWW53/54) the stream is the prefecture — the telegram is the
 * full current state for one 府県予報区, so TargetArea / PublishingOffice identifies it.
 */
function jmaKey(msg: JmaMessage): FeedDedupeKey {
  const type = msg.dataType ?? msg.control.title;
  const { head, control } = msg;
  const eventIds = head.eventIds;
  const targetArea = msg.body.family === 'weather' ? msg.body.targetArea?.code : null;
  const stream =
    eventIds.length > 0
      ? ['jma', type, control.status, eventIds.join(' ')].map(part).join('|')
      : ['jma', type, control.status, targetArea ?? control.publishingOffice, head.title].map(part).join('|');
  const revision = [
    head.serial,
    head.infoType,
    head.reportDateTime,
    head.serial === null ? control.dateTime : null,
  ];
  return { key: [stream, ...revision.map(part)].join('|'), eventIds, stream };
}

/** CAP 1.2 §3.2.1: `identifier` + `sender` + `sent` identify a message; `references` relate Update/Cancel. */
function capKey(msg: CapMessage): FeedDedupeKey {
  const { sender, identifier, sent, incidents } = msg.alert;
  return {
    key: ['cap', sender, identifier, sent].map(part).join('|'),
    eventIds: incidents ? incidents.split(/\s+/) : [],
    stream: ['cap', sender, incidents ?? identifier].map(part).join('|'),
  };
}

export function feedDedupeKey(msg: NormalisedMessage): FeedDedupeKey | null {
  switch (msg.format) {
    case 'jmaxml':
      return jmaKey(msg);
    case 'cap':
      return capKey(msg);
    case 'atom':
      // a feed is fetched, not delivered: its entries' telegram URLs are deduped before parsing
      return null;
  }
}
