import { FeedErrorCode, FeedParseError } from '../feed-parse.error';
import type {
  CapAlertFields,
  CapArea,
  CapInfo,
  CapMessage,
  CapReference,
  CapValuePair,
  StatusFlags,
} from '../normalised-message';
import { childNamed, childrenNamed, textAt, valueOf, type XmlElement } from '../xml/xml-element';

const CAP_NAMESPACES: ReadonlyMap<string, string> = new Map([
  ['urn:oasis:names:tc:emergency:cap:1.2', '1.2'],
  ['urn:oasis:names:tc:emergency:cap:1.1', '1.1'],
  ['http://www.incident.com/cap/1.0', '1.0'],
]);

/** Whether an element is a CAP alert root (1.0, 1.1 or 1.2; prefixed or not). */
export function isCapAlert(root: XmlElement): boolean {
  return root.name === 'alert' && root.namespace !== null && CAP_NAMESPACES.has(root.namespace);
}

/**
 * CAP status (OASIS CAP 1.2 §3.2.1): only Actual is real. Exercise is a drill; Test, System and Draft are never
 * actionable for residents.
 */
export function capStatusFlags(status: string | null): StatusFlags {
  return {
    isActual: status === 'Actual',
    isTraining: status === 'Exercise',
    isTest: status === 'Test' || status === 'System' || status === 'Draft',
  };
}

/** Repeated elements in order; an empty one stays as null so counts match the document. */
function texts(parent: XmlElement | null, name: string): (string | null)[] {
  return childrenNamed(parent, name).map(valueOf);
}

function pairs(parent: XmlElement, name: string): CapValuePair[] {
  return childrenNamed(parent, name).map((p) => ({
    valueName: textAt(p, 'valueName'),
    value: textAt(p, 'value'),
  }));
}

/** `references`: space-separated `sender,identifier,sent` triplets (CAP 1.2 §3.2.1). */
export function parseCapReferences(raw: string | null): CapReference[] {
  if (raw === null) return [];
  return raw
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((triplet) => {
      const [sender, identifier, sent] = triplet.split(',');
      return { sender: sender || null, identifier: identifier || null, sent: sent || null };
    });
}

function parseArea(area: XmlElement): CapArea {
  return {
    areaDesc: textAt(area, 'areaDesc'),
    polygons: texts(area, 'polygon'),
    circles: texts(area, 'circle'),
    geocodes: pairs(area, 'geocode'),
    altitude: textAt(area, 'altitude'),
    ceiling: textAt(area, 'ceiling'),
  };
}

function parseInfo(info: XmlElement): CapInfo {
  return {
    language: textAt(info, 'language'),
    categories: texts(info, 'category'),
    event: textAt(info, 'event'),
    responseTypes: texts(info, 'responseType'),
    urgency: textAt(info, 'urgency'),
    severity: textAt(info, 'severity'),
    certainty: textAt(info, 'certainty'),
    audience: textAt(info, 'audience'),
    eventCodes: pairs(info, 'eventCode'),
    effective: textAt(info, 'effective'),
    onset: textAt(info, 'onset'),
    expires: textAt(info, 'expires'),
    senderName: textAt(info, 'senderName'),
    headline: textAt(info, 'headline'),
    description: textAt(info, 'description'),
    instruction: textAt(info, 'instruction'),
    web: textAt(info, 'web'),
    contact: textAt(info, 'contact'),
    parameters: pairs(info, 'parameter'),
    resources: childrenNamed(info, 'resource').map((r) => ({
      resourceDesc: textAt(r, 'resourceDesc'),
      mimeType: textAt(r, 'mimeType'),
      size: textAt(r, 'size'),
      uri: textAt(r, 'uri'),
      digest: textAt(r, 'digest'),
    })),
    areas: childrenNamed(info, 'area').map(parseArea),
  };
}

/** Normalises a CAP 1.2 / 1.1 alert. Foreign-namespace children (ds:Signature, extensions) are tolerated. */
export function parseCapAlert(alert: XmlElement): CapMessage {
  for (const name of ['identifier', 'sender', 'sent', 'status', 'msgType']) {
    if (textAt(alert, name) === null) {
      throw new FeedParseError(FeedErrorCode.CapMissingField, `alert/${name} is missing or empty`, {
        field: name,
      });
    }
  }
  const referencesRaw = textAt(alert, 'references');
  const fields: CapAlertFields = {
    namespace: alert.namespace,
    identifier: textAt(alert, 'identifier'),
    sender: textAt(alert, 'sender'),
    sent: textAt(alert, 'sent'),
    status: textAt(alert, 'status'),
    msgType: textAt(alert, 'msgType'),
    source: textAt(alert, 'source'),
    scope: textAt(alert, 'scope'),
    restriction: textAt(alert, 'restriction'),
    addresses: textAt(alert, 'addresses'),
    codes: texts(alert, 'code'),
    note: textAt(alert, 'note'),
    referencesRaw,
    references: parseCapReferences(referencesRaw),
    incidents: textAt(alert, 'incidents'),
    hasSignature: childNamed(alert, 'Signature') !== null,
  };
  return {
    source: 'cap',
    format: 'cap',
    kind: 'cap.alert',
    capVersion: CAP_NAMESPACES.get(alert.namespace ?? '') ?? '1.2',
    status: capStatusFlags(fields.status),
    alert: fields,
    infos: childrenNamed(alert, 'info').map(parseInfo),
  };
}
