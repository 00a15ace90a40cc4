/** A namespace-resolved, read-only XML element: the only view of a document the feed parsers get. */
export interface XmlElement {
  /** Local name, without prefix. */
  readonly name: string;
  /** Namespace URI in scope for the element (null when none). */
  readonly namespace: string | null;
  /** Attributes by their name as written (`codeType`, `xmlns:xsi`). */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA, entity references decoded), children excluded. */
  readonly text: string;
}

/** Direct children with this local name (any namespace: JMA and CAP are read by local name). */
export function childrenNamed(parent: XmlElement | null | undefined, name: string): XmlElement[] {
  return parent ? parent.children.filter((c) => c.name === name) : [];
}

export function childNamed(parent: XmlElement | null | undefined, name: string): XmlElement | null {
  return parent?.children.find((c) => c.name === name) ?? null;
}

/** Follows a path of local names through first matches: `at(report, 'Head', 'Headline', 'Text')`. */
export function at(parent: XmlElement | null | undefined, ...path: string[]): XmlElement | null {
  let el: XmlElement | null = parent ?? null;
  for (const name of path) {
    el = childNamed(el, name);
    if (!el) return null;
  }
  return el;
}

/** Every descendant (document order, depth first) with this local name, the element itself excluded. */
export function descendantsNamed(parent: XmlElement | null | undefined, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  if (!parent) return out;
  const stack: XmlElement[] = [...parent.children].reverse();
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (el.name === name) out.push(el);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return out;
}

/**
 * Surrounding whitespace, Unicode-wide (JMA indents free text with U+3000 IDEOGRAPHIC SPACE). The set is
 * Python's `str.isspace`, the oracle of test/fixtures/feeds, rather than JS `trim` (which also strips U+FEFF).
 */
export function stripSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function isSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * The value convention shared with the fixtures' oracle (test/fixtures/feeds/SOURCES.md): the element's text as
 * written, but a missing or empty element is null. Surrounding whitespace is not part of the value.
 */
export function valueOf(el: XmlElement | null | undefined): string | null {
  if (!el) return null;
  const t = stripSpace(el.text);
  return t === '' ? null : t;
}

/** `valueOf` of the first child along the path. */
export function textAt(parent: XmlElement | null | undefined, ...path: string[]): string | null {
  return valueOf(at(parent, ...path));
}

/** Attribute by local name (`type`, `codeType`, `xsi:type` → `type` only when no unprefixed one exists). */
export function attr(el: XmlElement | null | undefined, name: string): string | null {
  if (!el) return null;
  const direct = el.attributes.get(name);
  if (direct !== undefined) return direct;
  for (const [k, v] of el.attributes) {
    const i = k.indexOf(':');
    if (i >= 0 && k.slice(i + 1) === name && k.slice(0, i) !== 'xmlns') return v;
  }
  return null;
}

/** Attribute value as written; null only when the attribute (or the element) is absent. */
export function attrValue(el: XmlElement | null | undefined, name: string): string | null {
  return attr(el, name);
}
