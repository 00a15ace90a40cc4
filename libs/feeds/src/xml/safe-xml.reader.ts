import { TextDecoder } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FeedErrorCode, FeedParseError } from '../feed-parse.error';
import type { XmlElement } from './xml-element';

/**
 * Default cap, 8 MiB: the largest JMA telegram is VPWS50 (the 2026 scheme's national summary, ≈ 4.6 MB); most are a
 * few hundred kB at most (VPWW54 for Tokyo, big VXSE53). Same default as ingest's FEED_MAX_BYTES.
 */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** Deepest nesting accepted; JMA telegrams nest about 12 levels, CAP about 6. */
export const MAX_DEPTH = 64;

export interface SafeXmlOptions {
  maxBytes?: number;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
// with the u flag a paired surrogate is one code point (allowed), a lone one is matched
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Reads an untrusted XML document into an element tree without ever expanding an entity.
 *
 * The document is refused before parsing when it is over the size cap or carries a DOCTYPE/ENTITY declaration
 * (the XXE, billion-laughs and external-DTD attacks all need one). fast-xml-parser then runs with entity
 * processing off; the five predefined entities and character references are decoded here, and any other
 * reference is refused. Processing instructions (xml-stylesheet) and comments are dropped; XInclude and
 * xsi:schemaLocation are plain elements/attributes to us and are never followed.
 */
export function readXml(input: Uint8Array | string, options: SafeXmlOptions = {}): XmlElement {
  const requested = options.maxBytes;
  // a cap that is not a positive number would disable the check: fall back to the default instead
  const maxBytes =
    requested !== undefined && Number.isFinite(requested) && requested > 0 ? requested : DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) {
    throw new FeedParseError(FeedErrorCode.XmlTooLarge, `document is ${size} bytes, the cap is ${maxBytes}`, {
      bytes: size,
      maxBytes,
    });
  }
  const text = normaliseNewlines(typeof input === 'string' ? stripBom(input) : decode(input));
  // XML 1.0 §2.2 Char: NUL, most C0 controls and lone surrogates are not characters of any XML document
  const notChar = NOT_XML_CHAR.exec(text);
  if (notChar) {
    const cp = notChar[0].codePointAt(0)!;
    throw new FeedParseError(
      FeedErrorCode.XmlMalformed,
      `not well-formed XML: U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not an XML character`,
      { offset: notChar.index },
    );
  }
  const declaration = /<!\s*(DOCTYPE|ENTITY)/i.exec(text);
  if (declaration) {
    throw new FeedParseError(
      FeedErrorCode.XmlDoctypeForbidden,
      `${declaration[1].toUpperCase()} declarations are not accepted`,
      { offset: declaration.index },
    );
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new FeedParseError(FeedErrorCode.XmlMalformed, `not well-formed XML: ${valid.err.msg}`, {
      line: valid.err.line,
      column: valid.err.col,
    });
  }
  let parsed: unknown;
  try {
    parsed = parser().parse(text);
  } catch (err) {
    throw new FeedParseError(FeedErrorCode.XmlMalformed, `not well-formed XML: ${describe(err)}`);
  }
  return toTree(parsed);
}

function parser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: MAX_DEPTH,
  });
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function normaliseNewlines(s: string): string {
  // XML 1.0 §2.11: a parser passes CR LF and lone CR on as LF
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

function decode(bytes: Uint8Array): string {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else {
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    const m = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
    if (m) label = m[1].toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new FeedParseError(FeedErrorCode.XmlEncoding, `unsupported encoding ${label}`, { encoding: label });
  }
  try {
    return stripBom(decoder.decode(start > 0 ? bytes.subarray(start) : bytes));
  } catch {
    throw new FeedParseError(FeedErrorCode.XmlEncoding, `the bytes are not valid ${label}`, {
      encoding: label,
    });
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Decodes the predefined entities and character references; anything else is refused, never looked up. */
function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&<\s]{0,16});?/g, (match, ref: string) => {
    if (!match.endsWith(';')) {
      throw new FeedParseError(FeedErrorCode.XmlMalformed, `bare '&' or unterminated reference: ${match}`);
    }
    if (ref.startsWith('#')) {
      const cp = /^#x[0-9a-fA-F]{1,6}$/.test(ref)
        ? parseInt(ref.slice(2), 16)
        : /^#[0-9]{1,7}$/.test(ref)
          ? parseInt(ref.slice(1), 10)
          : NaN;
      if (!isXmlChar(cp))
        throw new FeedParseError(FeedErrorCode.XmlMalformed, `invalid character reference ${match}`);
      return String.fromCodePoint(cp);
    }
    const value = Object.hasOwn(PREDEFINED, ref) ? PREDEFINED[ref] : undefined;
    if (value === undefined) {
      throw new FeedParseError(FeedErrorCode.XmlEntityForbidden, `undeclared entity reference ${match}`, {
        entity: ref,
      });
    }
    return value;
  });
}

function isXmlChar(cp: number): boolean {
  if (!Number.isInteger(cp)) return false;
  if (cp === 0x9 || cp === 0xa || cp === 0xd) return true;
  return (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

type OrderedNode = Record<string, unknown>;

function isNodeList(v: unknown): v is OrderedNode[] {
  return Array.isArray(v) && v.every((n) => typeof n === 'object' && n !== null);
}

function toTree(parsed: unknown): XmlElement {
  if (!isNodeList(parsed)) throw new FeedParseError(FeedErrorCode.XmlMalformed, 'no document element');
  const roots: OrderedNode[] = [];
  for (const node of parsed) {
    const key = elementKey(node);
    if (key === '#text') {
      if (String(node['#text']).trim() !== '') {
        throw new FeedParseError(FeedErrorCode.XmlMalformed, 'text outside the document element');
      }
    } else if (key === '#cdata') {
      throw new FeedParseError(FeedErrorCode.XmlMalformed, 'CDATA outside the document element');
    } else if (key !== null && !key.startsWith('?')) roots.push(node);
  }
  if (roots.length !== 1) {
    throw new FeedParseError(
      FeedErrorCode.XmlMalformed,
      `expected one document element, found ${roots.length}`,
    );
  }
  const scope = new Map<string, string>([['xml', XML_NS]]);
  return toElement(roots[0], scope, 1);
}

function elementKey(node: OrderedNode): string | null {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return null;
}

function toElement(node: OrderedNode, parentScope: ReadonlyMap<string, string>, depth: number): XmlElement {
  if (depth > MAX_DEPTH)
    throw new FeedParseError(FeedErrorCode.XmlMalformed, `nested deeper than ${MAX_DEPTH}`);
  const qname = elementKey(node) as string;
  const rawAttrs = node[':@'];
  const attributes = new Map<string, string>();
  let scope: Map<string, string> | ReadonlyMap<string, string> = parentScope;
  if (typeof rawAttrs === 'object' && rawAttrs !== null) {
    for (const [k, v] of Object.entries(rawAttrs)) {
      if (attributes.has(k)) throw new FeedParseError(FeedErrorCode.XmlMalformed, `duplicate attribute ${k}`);
      // XML 1.0 §3.3.3: literal whitespace in an attribute value is normalised to spaces, references are not
      const value = decodeReferences(String(v).replace(/[\t\n]/g, ' '));
      attributes.set(k, value);
      if (k === 'xmlns' || k.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(k === 'xmlns' ? '' : k.slice(6), value);
      }
    }
  }
  const colon = qname.indexOf(':');
  const prefix = colon >= 0 ? qname.slice(0, colon) : '';
  const name = colon >= 0 ? qname.slice(colon + 1) : qname;
  const namespace = scope.get(prefix);
  if (prefix !== '' && namespace === undefined) {
    throw new FeedParseError(FeedErrorCode.XmlMalformed, `undeclared namespace prefix ${prefix}`);
  }
  const children: XmlElement[] = [];
  let text = '';
  const content = node[qname];
  if (isNodeList(content)) {
    for (const child of content) {
      const key = elementKey(child);
      if (key === '#text') text += decodeReferences(String(child['#text']));
      else if (key === '#cdata') text += cdataText(child['#cdata']);
      else if (key !== null && !key.startsWith('?')) children.push(toElement(child, scope, depth + 1));
    }
  }
  return {
    name,
    namespace: namespace === undefined || namespace === '' ? null : namespace,
    attributes,
    children,
    text,
  };
}

function cdataText(content: unknown): string {
  if (!isNodeList(content)) return '';
  return content.map((n) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
