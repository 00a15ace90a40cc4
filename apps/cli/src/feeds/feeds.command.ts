import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MAX_BYTES,
  FeedParseError,
  formatVerificationReport,
  parseFeedDocument,
  verifyAgainstExpected,
} from '@bousai/feeds';

/** Where the commands write; the default is the process's streams. */
export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const PARSE_USAGE = `usage: npm run -s feeds:parse -- FILE [--max-bytes N]
  Parses a JMA 防災情報XML telegram, a CAP 1.2/1.1 alert or a JMA Atom feed and prints the normalised message
  as JSON on stdout. A document that is refused prints "CODE: message" on stderr and exits 1.
`;

const VERIFY_USAGE = `usage: npm run -s feeds:verify -- DIR
  Parses every file listed in DIR/EXPECTED.json and compares the documented facts. Prints one line per
  mismatch, then "verified: N files, M mismatches"; exits 1 when M > 0.
`;

function maxBytesOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MAX_BYTES;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new RangeError(`--max-bytes must be a positive whole number`);
  return Number(raw);
}

/** `feeds:parse FILE`: stdout carries only the JSON. Needs no configuration, database or Redis. */
export async function feedsParseCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  let file: string | undefined;
  let maxBytes: number;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'max-bytes': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(PARSE_USAGE);
      return 0;
    }
    file = positionals[0];
    maxBytes = maxBytesOf(values['max-bytes']);
    if (file === undefined || positionals.length > 1) throw new RangeError('expected exactly one FILE');
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${PARSE_USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    io.err(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  try {
    io.out(`${JSON.stringify(parseFeedDocument(bytes, { maxBytes, name: file }), null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof FeedParseError) {
      io.err(`${err.code}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** `feeds:verify DIR`: stdout carries only the report. Exits 1 on any mismatch. */
export async function feedsVerifyCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  let dir: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(VERIFY_USAGE);
      return 0;
    }
    dir = positionals[0];
    if (dir === undefined || positionals.length > 1) throw new RangeError('expected exactly one DIR');
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${VERIFY_USAGE}`);
    return 2;
  }
  let report;
  try {
    report = await verifyAgainstExpected(dir);
  } catch (err) {
    io.err(`cannot verify ${dir}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  io.out(formatVerificationReport(report));
  return report.mismatches.length === 0 ? 0 : 1;
}
