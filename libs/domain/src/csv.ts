/**
 * The one writer of every CSV the project hands out (reports meant to be opened in Excel by a disaster office).
 * Cells are written so that opening the file never runs anything, never loses a code's leading zeros, and shows
 * times as the municipality reads them:
 *
 * - RFC 4180: fields with a comma, a double quote or a line break are quoted, quotes doubled; CRLF line ends.
 * - UTF-8 with a byte-order mark: without it Excel reads a CSV as Shift_JIS and garbles the Japanese.
 * - Formula neutralisation (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a
 *   carriage return gets a leading `'`, so Excel shows it as text instead of evaluating it (`=HYPERLINK(…)`,
 *   `@SUM(…)`, `+cmd|…`). Every text cell passes through it: names, addresses, phones, titles.
 * - Codes as text ({@link csvCode}): district and municipality codes, resident numbers and phone numbers are
 *   written as `="0123"`. Excel turns a bare `0123` into the number 123 (and `1-2` into a date) when it opens a
 *   CSV; a quote prefix would stay visible (`'0123`) because Excel does not read it as a marker in a CSV; an
 *   invisible prefix (tab, zero-width space) would become part of the value and break lookups. `="0123"` is a
 *   formula whose only content is a string constant that we build, and only from a value shaped like a code
 *   (letters, digits, spaces and `()+-./#_`, starting with a letter or digit, within the 255 characters of an
 *   Excel formula string): anything else, e.g. `+81…` or `=1+1`, is written as neutralised text, so no
 *   user-supplied text ever reaches a formula and everything that starts like one gets the `'`.
 * - Times in the municipality's zone, ISO 8601 with its offset (`2026-09-01T09:30:00+09:00`), never UTC.
 */

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** Japan has one zone and no daylight saving time; every municipality we serve reads its times in it. */
export const MUNICIPALITY_TIME_ZONE = 'Asia/Tokyo';

/** A value that must stay text exactly as written: a code, a number with leading zeros, a phone number. */
export interface CsvCode {
  readonly code: string | null | undefined;
}

export type CsvCell = string | number | boolean | Date | CsvCode | null | undefined;

export function csvCode(code: string | null | undefined): CsvCode {
  return { code };
}

/** OWASP: the characters that make a spreadsheet read a cell as a formula or a command. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
// no `"` (it would end the constant) nor a formula trigger first; an Excel formula string holds 255 characters
const CODE_AS_FORMULA = /^[0-9A-Za-z][0-9A-Za-z ()+\-./#_]{0,254}$/;

/** A text cell as Excel must show it: never evaluated. */
export function neutraliseCsvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** `date` as local time in `timeZone`, ISO 8601 to the second with the zone's offset. */
export function isoInTimeZone(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const wholeSeconds = Math.floor(date.getTime() / 1000) * 1000;
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) - wholeSeconds) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

function quoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function field(value: CsvCell, timeZone: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoInTimeZone(value, timeZone);
  if (typeof value === 'object') {
    const code = value.code;
    if (code === null || code === undefined || code === '') return '';
    return CODE_AS_FORMULA.test(code) ? quoted(`="${code}"`) : quoted(neutraliseCsvText(code));
  }
  return quoted(neutraliseCsvText(value));
}

/**
 * The whole file: BOM, one line per row (an empty row is an empty line, e.g. between sections), CRLF after each.
 * `timeZone` is the municipality's (default {@link MUNICIPALITY_TIME_ZONE}).
 */
export function writeCsv(rows: readonly (readonly CsvCell[])[], opts: { timeZone?: string } = {}): string {
  const timeZone = opts.timeZone ?? MUNICIPALITY_TIME_ZONE;
  return BOM + rows.map((row) => row.map((v) => field(v, timeZone)).join(',') + CRLF).join('');
}
