import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseFeedDocument } from '../feed-document.parser';
import { FeedParseError } from '../feed-parse.error';
import { toExpectedShape, type ExpectedShape } from './expected-projection';

/** One documented fact the parser got wrong (or a file that could not be checked). */
export interface Mismatch {
  file: string;
  /** Dotted path into the EXPECTED.json entry, e.g. `facts.cities[3].maxInt`; empty for the whole file. */
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface VerificationReport {
  /** Files listed in EXPECTED.json (every one is checked; none is skipped). */
  files: number;
  mismatches: Mismatch[];
}

export interface ExpectedEntry {
  file: string;
  sha256?: string;
  bytes?: number;
  format?: string;
  kind?: string;
  dataType?: string | null;
  control?: unknown;
  head?: unknown;
  facts?: unknown;
  hostile?: boolean;
  parseError?: string | null;
}

interface ExpectedDocument {
  schemaVersion?: number;
  files: Record<string, ExpectedEntry>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep comparison driven by the expected value: every documented key must be present with an equal value;
 * arrays must match in length and order. Keys the parser adds beyond the documented shape are not compared.
 */
export function compareDocumented(
  expected: unknown,
  actual: unknown,
  at: string,
  out: Omit<Mismatch, 'file'>[],
): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push({ path: at, expected, actual });
      return;
    }
    if (expected.length !== actual.length) {
      out.push({ path: `${at}.length`, expected: expected.length, actual: actual.length });
    }
    const n = Math.min(expected.length, actual.length);
    for (let i = 0; i < n; i++) compareDocumented(expected[i], actual[i], `${at}[${i}]`, out);
    return;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) {
      out.push({ path: at, expected, actual });
      return;
    }
    for (const key of Object.keys(expected)) {
      compareDocumented(expected[key], actual[key], at === '' ? key : `${at}.${key}`, out);
    }
    return;
  }
  if (expected !== (actual === undefined ? undefined : actual)) out.push({ path: at, expected, actual });
}

function family(kind: string | undefined): string | undefined {
  return kind?.split('.')[0];
}

/**
 * JMA writes codes that vary per issuing body with `ii` (指定河川洪水予報 is VXKO50–VXKO89 by river, "VXKOii" in
 * the technical notes), so `ii` on either side stands for two digits.
 */
function sameDataType(expected: string | null, actual: string): boolean {
  if (expected === null) return false;
  const pattern = (code: string) =>
    new RegExp(`^${code.replace(/[^A-Za-z0-9]/g, '').replace(/ii$/, '(\\d\\d|ii)')}$`);
  return pattern(actual).test(expected) || pattern(expected).test(actual);
}

/** Compares one parsed document against its EXPECTED.json entry. */
export function compareEntry(entry: ExpectedEntry, shape: ExpectedShape): Omit<Mismatch, 'file'>[] {
  const out: Omit<Mismatch, 'file'>[] = [];
  if (entry.format !== undefined) compareDocumented(entry.format, shape.format, 'format', out);
  if (entry.kind !== undefined && family(entry.kind) !== family(shape.kind)) {
    out.push({ path: 'kind', expected: entry.kind, actual: shape.kind });
  }
  // the data type comes from the file name; it is compared where the parser recognised the Control/Title
  if (
    entry.dataType !== undefined &&
    shape.dataType !== null &&
    !sameDataType(entry.dataType, shape.dataType)
  ) {
    out.push({ path: 'dataType', expected: entry.dataType, actual: shape.dataType });
  }
  for (const key of ['control', 'head', 'facts'] as const) {
    if (entry[key] !== undefined) compareDocumented(entry[key], shape[key], key, out);
  }
  return out;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Checks one file against its entry; `bytes` null means the file could not be read. */
export function verifyFile(name: string, entry: ExpectedEntry, bytes: Uint8Array | null): Mismatch[] {
  if (bytes === null) return [{ file: name, path: '', expected: 'a readable file', actual: 'missing' }];
  const found: Omit<Mismatch, 'file'>[] = [];
  if (entry.sha256 !== undefined && entry.sha256 !== sha256(bytes)) {
    found.push({ path: 'sha256', expected: entry.sha256, actual: sha256(bytes) });
  }
  const mustFail = entry.hostile === true || (entry.facts === null && typeof entry.parseError === 'string');
  try {
    const shape = toExpectedShape(parseFeedDocument(bytes));
    if (mustFail) found.push({ path: '', expected: 'a FeedParseError', actual: 'parsed' });
    else found.push(...compareEntry(entry, shape));
  } catch (err) {
    if (!(err instanceof FeedParseError)) {
      found.push({ path: '', expected: mustFail ? 'a FeedParseError' : 'parsed', actual: String(err) });
    } else if (!mustFail) {
      found.push({ path: '', expected: 'parsed', actual: `${err.code}: ${err.message}` });
    }
  }
  return found.map((m) => ({ file: name, ...m }));
}

/**
 * Parses every file listed in `<dir>/EXPECTED.json` and compares the documented facts (control, head, facts)
 * with exact equality. Used by the unit test on test/fixtures/feeds and by `npm run feeds:verify -- DIR`.
 */
export async function verifyAgainstExpected(dir: string): Promise<VerificationReport> {
  const expected = JSON.parse(await readFile(path.join(dir, 'EXPECTED.json'), 'utf8')) as ExpectedDocument;
  if (!isRecord(expected) || !isRecord(expected.files)) {
    throw new Error(`${path.join(dir, 'EXPECTED.json')} has no "files" object`);
  }
  const mismatches: Mismatch[] = [];
  const names = Object.keys(expected.files);
  for (const name of names) {
    const entry = expected.files[name];
    const bytes = await readFile(path.join(dir, entry.file ?? name)).catch(() => null);
    mismatches.push(...verifyFile(name, entry, bytes));
  }
  return { files: names.length, mismatches };
}

/** The report as the CLI prints it: one line per mismatch, then `verified: N files, M mismatches`. */
export function formatVerificationReport(report: VerificationReport): string {
  const lines = report.mismatches.map(
    (m) =>
      `${m.file}${m.path ? ` ${m.path}` : ''}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`,
  );
  lines.push(`verified: ${report.files} files, ${report.mismatches.length} mismatches`);
  return `${lines.join('\n')}\n`;
}
