/**
 * CAP 1.2 (OASIS Common Alerting Protocol) and an Atom feed of it, written for the public: what the municipality
 * announced, in every language it was written in, with the JMA codes of the places it concerns, so that portals,
 * broadcasters and other systems can take it up. Only the fields CAP requires or that carry our data are written.
 */

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml';

export type CapStatus = 'Actual' | 'Exercise';
export type CapMsgType = 'Alert' | 'Update' | 'Cancel';

export interface CapOutReference {
  identifier: string;
  sent: Date;
}

export interface CapGeocode {
  /** The code system, e.g. `JMA-CITY` (市町村等), `JMA-QUAKE` (地震細分区域), `JMA-TSUNAMI` (津波予報区). */
  valueName: string;
  value: string;
}

export interface CapAlertInput {
  identifier: string;
  sender: string;
  senderName: string;
  sent: Date;
  status: CapStatus;
  msgType: CapMsgType;
  /** Earlier messages this one updates or cancels. */
  references: CapOutReference[];
  /** Our severity: extreme, severe, moderate, minor, unknown. */
  severity: string;
  /** `{ [language]: { title, body } }`; one `<info>` each, Japanese first. */
  texts: Record<string, { title: string; body: string }>;
  expires: Date | null;
  areaDesc: string;
  geocodes: CapGeocode[];
  /** The public page of the alert. */
  web?: string;
  /** The danger is over (an evacuation order lifted): responseType `AllClear`. */
  allClear?: boolean;
}

const SEVERITY: Record<string, string> = {
  extreme: 'Extreme',
  severe: 'Severe',
  moderate: 'Moderate',
  minor: 'Minor',
};

/** Our language tags as RFC 3066 tags (xs:language); やさしい日本語 as a private-use variant of Japanese. */
const LANGUAGE_TAG: Record<string, string> = { ja: 'ja-JP', 'ja-easy': 'ja-JP-x-easy' };

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** CAP's date-time: seconds, an explicit offset, no fraction; written in Japan time. */
export function capDateTime(date: Date): string {
  const jst = new Date(date.getTime() + 9 * 3_600_000);
  return `${jst.toISOString().slice(0, 19)}+09:00`;
}

function el(name: string, value: string, indent: string): string {
  return `${indent}<${name}>${escapeXml(value)}</${name}>\n`;
}

function languageOrder(a: string, b: string): number {
  const rank = (l: string) => (l === 'ja' ? 0 : l === 'ja-easy' ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

export function buildCapAlert(input: CapAlertInput): string {
  const severe = input.severity === 'extreme' || input.severity === 'severe';
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="${CAP_NAMESPACE}">\n`;
  xml += el('identifier', input.identifier, '  ');
  xml += el('sender', input.sender, '  ');
  xml += el('sent', capDateTime(input.sent), '  ');
  xml += el('status', input.status, '  ');
  xml += el('msgType', input.msgType, '  ');
  xml += el('scope', 'Public', '  ');
  if (input.references.length > 0) {
    const refs = input.references.map((r) => `${input.sender},${r.identifier},${capDateTime(r.sent)}`);
    xml += el('references', refs.join(' '), '  ');
  }
  for (const language of Object.keys(input.texts).sort(languageOrder)) {
    const text = input.texts[language];
    xml += '  <info>\n';
    xml += el('language', LANGUAGE_TAG[language] ?? language, '    ');
    xml += el('category', 'Safety', '    ');
    xml += el('event', text.title, '    ');
    if (input.msgType !== 'Cancel') {
      xml += el('responseType', input.allClear ? 'AllClear' : severe ? 'Evacuate' : 'Monitor', '    ');
    }
    xml += el('urgency', input.msgType === 'Cancel' ? 'Past' : severe ? 'Immediate' : 'Expected', '    ');
    xml += el('severity', SEVERITY[input.severity] ?? 'Unknown', '    ');
    xml += el('certainty', input.msgType === 'Cancel' ? 'Observed' : 'Likely', '    ');
    if (input.expires) xml += el('expires', capDateTime(input.expires), '    ');
    xml += el('senderName', input.senderName, '    ');
    xml += el('headline', text.title, '    ');
    xml += el('description', text.body, '    ');
    if (input.web) xml += el('web', input.web, '    ');
    xml += '    <area>\n';
    xml += el('areaDesc', input.areaDesc, '      ');
    for (const g of input.geocodes) {
      xml += '      <geocode>\n';
      xml += el('valueName', g.valueName, '        ');
      xml += el('value', g.value, '        ');
      xml += '      </geocode>\n';
    }
    xml += '    </area>\n';
    xml += '  </info>\n';
  }
  return `${xml}</alert>\n`;
}

export interface CapFeedEntry {
  identifier: string;
  title: string;
  updated: Date;
  /** Where the entry's CAP document is served. */
  capUrl: string;
  summary: string;
}

export interface CapFeedInput {
  id: string;
  title: string;
  selfUrl: string;
  updated: Date;
  author: string;
  entries: CapFeedEntry[];
}

/** An Atom (RFC 4287) feed whose entries link to their CAP documents, newest first. */
export function buildCapAtomFeed(feed: CapFeedInput): string {
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n`;
  xml += el('id', feed.id, '  ');
  xml += el('title', feed.title, '  ');
  xml += el('updated', feed.updated.toISOString(), '  ');
  xml += `  <link rel="self" href="${escapeXml(feed.selfUrl)}"/>\n`;
  xml += `  <author>\n${el('name', feed.author, '    ')}  </author>\n`;
  for (const e of feed.entries) {
    xml += '  <entry>\n';
    xml += el('id', e.identifier, '    ');
    xml += el('title', e.title, '    ');
    xml += el('updated', e.updated.toISOString(), '    ');
    xml += `    <link rel="alternate" type="${CAP_CONTENT_TYPE}" href="${escapeXml(e.capUrl)}"/>\n`;
    xml += el('summary', e.summary, '    ');
    xml += '  </entry>\n';
  }
  return `${xml}</feed>\n`;
}
