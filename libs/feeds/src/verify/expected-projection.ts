import type { CapMessage, JmaMessage, NormalisedMessage } from '../normalised-message';

/**
 * The normalised message seen through the documented EXPECTED.json shape (test/fixtures/feeds/SOURCES.md): the same
 * facts under the names and nesting the oracle uses. Nothing here is per file: it is one mapping per format.
 */
export interface ExpectedShape {
  format: string;
  kind: string;
  dataType: string | null;
  control: unknown;
  head: unknown;
  facts: unknown;
}

function jmaShape(msg: JmaMessage): ExpectedShape {
  const { family: _family, ...facts } = msg.body;
  return {
    format: msg.format,
    kind: msg.kind,
    dataType: msg.dataType,
    control: msg.control,
    head: {
      title: msg.head.title,
      reportDateTime: msg.head.reportDateTime,
      targetDateTime: msg.head.targetDateTime,
      eventId: msg.head.eventId,
      infoType: msg.head.infoType,
      serial: msg.head.serial,
      infoKind: msg.head.infoKind,
      infoKindVersion: msg.head.infoKindVersion,
      headlineText: msg.head.headlineText,
      // the documented item has one kind: the item's first Kind
      information: msg.head.information.map((info) => ({
        type: info.type,
        items: info.items.map((item) => ({
          kind: item.kinds[0] ?? null,
          areaCodeType: item.areaCodeType,
          areaCodes: item.areas.map((a) => a.code),
        })),
      })),
    },
    facts,
  };
}

function capShape(msg: CapMessage): ExpectedShape {
  return {
    format: msg.format,
    kind: msg.kind,
    dataType: null,
    control: null,
    head: null,
    facts: {
      alert: msg.alert,
      infoCount: msg.infos.length,
      infos: msg.infos.map((info) => ({
        language: info.language,
        categories: info.categories,
        event: info.event,
        responseTypes: info.responseTypes,
        urgency: info.urgency,
        severity: info.severity,
        certainty: info.certainty,
        eventCodes: info.eventCodes,
        effective: info.effective,
        onset: info.onset,
        expires: info.expires,
        senderName: info.senderName,
        headline: info.headline,
        parameterCount: info.parameters.length,
        resourceCount: info.resources.length,
        areas: info.areas,
      })),
    },
  };
}

export function toExpectedShape(msg: NormalisedMessage): ExpectedShape {
  switch (msg.format) {
    case 'jmaxml':
      return jmaShape(msg);
    case 'cap':
      return capShape(msg);
    case 'atom':
      return {
        format: msg.format,
        kind: msg.kind,
        dataType: null,
        control: null,
        head: null,
        facts: { feed: msg.feed, entryCount: msg.entries.length, entries: msg.entries },
      };
  }
}
