import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { parseFeedDocument } from './feed-document.parser';
import { FeedErrorCode, FeedParseError } from './feed-parse.error';
import { feedFixturesDir } from './testing/feed-fixtures';

const dir = feedFixturesDir();
const expected = JSON.parse(readFileSync(path.join(dir, 'EXPECTED.json'), 'utf8')) as {
  files: Record<string, { file: string }>;
};
const documents = Object.values(expected.files).map((e) => readFileSync(path.join(dir, e.file)));
const codes = new Set<string>(Object.values(FeedErrorCode));

/** Fragments that stress the reader: markup, references, declarations, namespaces, invalid characters. */
const TOKENS = [
  '<',
  '>',
  '</',
  '/>',
  '&',
  '&amp;',
  '&lt',
  '&xxe;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  '&#65;',
  '<!DOCTYPE r [<!ENTITY a "b">]>',
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<?xml-stylesheet href="http://localhost/x.xsl"?>',
  '<Report>',
  '</Report>',
  '<Body>',
  '</Head>',
  '<Control/>',
  '<x:y>',
  'xmlns="urn:oasis:names:tc:emergency:cap:1.2"',
  'xmlns:x=""',
  ' a="1" a="2"',
  '"',
  "'",
  '=',
  '\u0000',
  '\uFFFE',
  '\uFEFF',
  '\r\n',
  '\u3000',
  '__proto__',
  '<__proto__>',
  '<constructor/>',
];

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'byte'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 20, unit: 'binary' })),
  }),
  fc.record({
    op: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 2000 }),
  }),
  fc.record({ op: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(doc: Buffer, m: Mutation): Buffer {
  const at = doc.length === 0 ? 0 : m.at % (doc.length + 1);
  switch (m.op) {
    case 'truncate':
      return doc.subarray(0, at);
    case 'delete':
      return Buffer.concat([doc.subarray(0, at), doc.subarray(at + m.length)]);
    case 'insert':
      return Buffer.concat([doc.subarray(0, at), Buffer.from(m.text, 'utf8'), doc.subarray(at)]);
    case 'duplicate':
      return Buffer.concat([doc.subarray(0, at + m.length), doc.subarray(at)]);
    case 'byte': {
      const copy = Buffer.from(doc);
      if (at < copy.length) copy[at] = m.value;
      return copy;
    }
  }
}

/**
 * The property: a document either parses into a message or is refused with a typed, coded error. PARSE_FAILED
 * is the parser's last-resort wrapper for an unexpected exception, so it must never be what a document gets.
 */
function parsesOrRefusesTyped(input: Uint8Array | string): boolean {
  try {
    const msg = parseFeedDocument(input);
    return ['jmaxml', 'cap', 'atom'].includes(msg.format);
  } catch (err) {
    return err instanceof FeedParseError && codes.has(err.code) && err.code !== FeedErrorCode.ParseFailed;
  }
}

describe('parseFeedDocument under mutation (fast-check)', () => {
  it('only ever returns a message or throws a FeedParseError for mutated fixtures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: documents.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (index, mutations) => parsesOrRefusesTyped(mutations.reduce(mutate, documents[index])),
      ),
      { numRuns: 300, seed: 20261124 },
    );
  });

  it('only ever returns a message or throws a FeedParseError for documents built from markup fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })), { maxLength: 60 }),
        (parts) => parsesOrRefusesTyped(parts.join('')),
      ),
      { numRuns: 1000, seed: 20261124 },
    );
  });

  it('refuses every fixture with a DOCTYPE spliced in after the XML declaration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: documents.length - 1 }), (index) => {
        const text = documents[index].toString('utf8');
        const at = text.startsWith('<?xml') ? text.indexOf('?>') + 2 : 0;
        const hostile = `${text.slice(0, at)}<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${text.slice(at)}`;
        try {
          parseFeedDocument(hostile);
          return false;
        } catch (err) {
          return err instanceof FeedParseError && err.code === FeedErrorCode.XmlDoctypeForbidden;
        }
      }),
      { numRuns: 60, seed: 20261124 },
    );
  });
});
