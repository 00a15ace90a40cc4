import { DomainError, ErrorCode } from '../errors';
import { ShelterHazard, ShelterKind } from './shelter';

/**
 * The two open-data formats municipalities publish their shelters in (docs/shelters.md §1):
 *
 * - the Digital Agency's 自治体標準オープンデータセット, 指定緊急避難場所一覧 and 指定避難所一覧: `ID`, `名称`,
 *   `名称_カナ`, `所在地_連結表記` (older files: `住所`), `緯度`, `経度`, `災害種別_洪水` … `災害種別_火山現象`,
 *   `指定避難所との重複` (or, on the 避難所 list, `指定緊急避難場所との重複`), `想定収容人数`,
 *   `対象となる町会・自治会` (`;`-separated), and more we do not keep;
 * - GSI's 指定緊急避難場所データ (and its 指定避難所データ): `NO`, `共通ID`, `施設・場所名`, `住所`, the eight flags under
 *   their bare names (`洪水` …), `指定避難所との住所同一`, `緯度`, `経度`, `備考` — no capacity, no districts.
 *
 * Flags are `1` for designated and blank otherwise. The format is told by the header; a file of either kind may
 * be UTF-8 or Shift_JIS (decoding is the caller's).
 */
export enum ShelterFormat {
  DigitalAgency = 'digital_agency',
  Gsi = 'gsi',
}

/** One CSV record and the 1-based line of the file it starts on. */
export interface ShelterSourceRecord {
  line: number;
  cells: readonly string[];
}

/** A row as the office keeps it, with the line it came from. */
export interface ShelterRow {
  line: number;
  /** The dataset's own id (`ID` / `共通ID`): a re-import of the same list updates, never duplicates. */
  externalId: string;
  kind: ShelterKind;
  name: string;
  nameKana: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** 想定収容人数; null when the list gives none (GSI's never does). */
  capacity: number | null;
  hazards: ShelterHazard[];
  /** 対象となる町会・自治会, as written. */
  districts: string[];
}

/** Why a row was not imported. Stable codes: clients translate them. */
export enum ShelterRowErrorCode {
  MissingValue = 'MISSING_VALUE',
  InvalidValue = 'INVALID_VALUE',
  ColumnCount = 'COLUMN_COUNT',
  DuplicateInFile = 'DUPLICATE_IN_FILE',
}

export interface ShelterRowError {
  line: number;
  code: ShelterRowErrorCode;
  message: string;
  /** The column as the file's header writes it. */
  column?: string;
}

export interface ParsedShelterList {
  format: ShelterFormat;
  kind: ShelterKind;
  rows: ShelterRow[];
  /** Every row left out, by line (a row may have several). */
  errors: ShelterRowError[];
  /** Rows of another municipality (prefecture-wide files): not ours, left out without complaint. */
  otherMunicipality: number;
  /** Header cells we do not read, as written. */
  ignoredColumns: string[];
}

type Field =
  | 'municipalityCode'
  | 'externalId'
  | 'name'
  | 'nameKana'
  | 'address'
  | 'latitude'
  | 'longitude'
  | 'capacity'
  | 'districts'
  | ShelterHazard;

/** `Ｉ Ｄ`, `id` and `ID` compare equal; `（`/`(` too (NFKC). */
function key(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .normalize('NFKC')
    .replace(/\s/g, '')
    .toLowerCase();
}

const HAZARD_WORDS: readonly [ShelterHazard, string][] = [
  [ShelterHazard.Flood, '洪水'],
  [ShelterHazard.Landslide, '崖崩れ、土石流及び地滑り'],
  [ShelterHazard.StormSurge, '高潮'],
  [ShelterHazard.Earthquake, '地震'],
  [ShelterHazard.Tsunami, '津波'],
  [ShelterHazard.LargeFire, '大規模な火事'],
  [ShelterHazard.InlandFlood, '内水氾濫'],
  [ShelterHazard.Volcano, '火山現象'],
];

/** Accepted headers per field, in preference order (the first present wins). */
const COLUMNS: Readonly<Record<ShelterFormat, readonly [Field, readonly string[]][]>> = {
  [ShelterFormat.DigitalAgency]: [
    ['municipalityCode', ['全国地方公共団体コード']],
    ['externalId', ['ID']],
    ['name', ['名称']],
    ['nameKana', ['名称_カナ']],
    ['address', ['所在地_連結表記', '住所']],
    ['latitude', ['緯度']],
    ['longitude', ['経度']],
    ['capacity', ['想定収容人数']],
    ['districts', ['対象となる町会・自治会']],
    ...HAZARD_WORDS.map(([h, w]): [Field, string[]] => [h, [`災害種別_${w}`]]),
  ],
  [ShelterFormat.Gsi]: [
    ['externalId', ['共通ID']],
    ['name', ['施設・場所名']],
    ['address', ['住所']],
    ['latitude', ['緯度']],
    ['longitude', ['経度']],
    ...HAZARD_WORDS.map(([h, w]): [Field, string[]] => [h, [w]]),
  ],
};

/** The column that says which list a file is: the other designation it may overlap with. */
const EMERGENCY_MARKERS = ['指定避難所との重複', '指定避難所との住所同一'].map(key);
const SHELTER_MARKERS = ['指定緊急避難場所との重複', '指定緊急避難場所との住所同一'].map(key);

interface Header {
  format: ShelterFormat;
  position: ReadonlyMap<Field, number>;
  label: ReadonlyMap<Field, string>;
  width: number;
  ignored: string[];
  keys: ReadonlySet<string>;
}

function readHeader(cells: readonly string[]): Header {
  const keys = cells.map(key);
  const has = (name: string) => keys.includes(key(name));
  const format =
    has('共通ID') && has('施設・場所名')
      ? ShelterFormat.Gsi
      : has('ID') && has('名称')
        ? ShelterFormat.DigitalAgency
        : undefined;
  if (!format) {
    throw new DomainError(
      ErrorCode.CsvInvalid,
      'The header is neither the Digital Agency layout (ID, 名称, …) nor GSI’s (共通ID, 施設・場所名, …)',
      { header: cells.slice(0, 40) },
    );
  }
  const position = new Map<Field, number>();
  const label = new Map<Field, string>();
  for (const [field, names] of COLUMNS[format]) {
    for (const name of names) {
      const at = keys.indexOf(key(name));
      if (at === -1) continue;
      position.set(field, at);
      label.set(field, cells[at].replace(/^\uFEFF/, '').trim());
      break;
    }
  }
  const read = new Set(position.values());
  const duplicated = keys.filter((k, i) => k !== '' && keys.indexOf(k) !== i);
  if (duplicated.length > 0) {
    throw new DomainError(ErrorCode.CsvInvalid, `Columns appear more than once: ${duplicated.join(', ')}`, {
      duplicateColumns: duplicated,
    });
  }
  const ignored = cells
    .map((c, i) => (read.has(i) ? '' : c.replace(/^\uFEFF/, '').trim()))
    .filter((c) => c !== '');
  return { format, position, label, width: cells.length, ignored, keys: new Set(keys) };
}

function kindOf(header: Header, given: ShelterKind | undefined): ShelterKind {
  if (given) return given;
  if (EMERGENCY_MARKERS.some((m) => header.keys.has(m))) return ShelterKind.EmergencySite;
  if (SHELTER_MARKERS.some((m) => header.keys.has(m))) return ShelterKind.Shelter;
  if (HAZARD_WORDS.some(([h]) => header.position.has(h))) return ShelterKind.EmergencySite;
  throw new DomainError(
    ErrorCode.CsvInvalid,
    'Cannot tell whether this is a 指定緊急避難場所 or a 指定避難所 list: say which with kind=emergency_site|shelter',
    { format: header.format },
  );
}

class CellError extends Error {}

function fail(message: string): never {
  throw new CellError(message);
}

/** C0 controls but tab, and DEL: never part of a name or an address. */
function plainText(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) fail('contains a line break or control character');
  if (value.length > max) fail(`longer than ${max} characters`);
  return value;
}

function code(value: string): string {
  return plainText(value.normalize('NFKC').trim(), 64);
}

function degrees(limit: number): (value: string) => number {
  return (value) => {
    const text = value.normalize('NFKC').trim();
    const n = /^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(n) || Math.abs(n) > limit)
      fail(`expected decimal degrees between -${limit} and ${limit}`);
    return n;
  };
}

/** `810`, `1,200`, `１２００人`. */
function capacity(value: string): number {
  const text = value.normalize('NFKC').replace(/[,\s]/g, '').replace(/人$/, '');
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n > 1_000_000) fail('expected a number of people such as 810');
  return n;
}

const YES = new Set(['1', '○', '◯', '〇', '●', 'true', 'yes', '有', 'あり', '可']);
const NO = new Set(['0', '×', '✕', '-', 'false', 'no', '無', 'なし', '不可']);

/** `1` designated, blank not (both formats); the marks lists typed by hand use are accepted too. */
function flag(value: string): boolean {
  const text = value.normalize('NFKC').trim().toLowerCase();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return fail('expected 1 (designated) or blank');
}

/** `○○町;△△町` (the dataset's separator is `;`; a full-width `；` is forgiven). */
function districts(value: string): string[] {
  const names = value
    .split(/[;；]/)
    .map((d) => plainText(d.replace(/\s*\n\s*/g, ' ').trim(), 200))
    .filter((d) => d !== '');
  return [...new Set(names)];
}

/** 全国地方公共団体コード as published: 6 digits, or 5 (check digit or leading zero dropped). */
function sameMunicipality(written: string, ours: string): boolean {
  const digits = written.normalize('NFKC').trim();
  if (!/^\d{5,6}$/.test(digits)) fail('expected a 6-digit 全国地方公共団体コード');
  return digits === ours || digits === ours.slice(0, 5) || digits.padStart(6, '0') === ours;
}

/** GSI's 共通ID starts with a letter and the 5-digit municipality code: `E1310100002201`. */
function gsiMunicipality(id: string): string | undefined {
  return /^[A-Za-z]*(\d{5})/.exec(id)?.[1];
}

class RowReader {
  readonly errors: { error: ShelterRowError; at: number }[] = [];

  constructor(
    private readonly header: Header,
    private readonly record: ShelterSourceRecord,
  ) {}

  cell(field: Field): string {
    const at = this.header.position.get(field);
    return at === undefined ? '' : (this.record.cells[at] ?? '').trim();
  }

  name(field: Field): string {
    return this.header.label.get(field) ?? field;
  }

  problem(field: Field, code: ShelterRowErrorCode, message: string): void {
    this.errors.push({
      error: { line: this.record.line, code, message, column: this.header.label.get(field) },
      at: this.header.position.get(field) ?? Number.MAX_SAFE_INTEGER,
    });
  }

  read<T>(field: Field, parse: (value: string) => T, required = false): T | null {
    const value = this.cell(field);
    if (value === '') {
      if (required) this.problem(field, ShelterRowErrorCode.MissingValue, `${this.name(field)} is required`);
      return null;
    }
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      this.problem(field, ShelterRowErrorCode.InvalidValue, `${this.name(field)}: ${err.message}`);
      return null;
    }
  }

  sorted(): ShelterRowError[] {
    return [...this.errors].sort((a, b) => a.at - b.at).map((e) => e.error);
  }
}

/**
 * Reads a shelter list: every data row is either a {@link ShelterRow} or reported with its line and why, rows of
 * another municipality aside. `municipalityCode` is ours (6 digits); `kind` overrides what the header says.
 * A file that is neither format, or whose kind cannot be told, is refused whole (`CSV_INVALID`).
 */
export function parseShelterList(
  table: { header: ShelterSourceRecord; records: readonly ShelterSourceRecord[] },
  opts: { municipalityCode: string; kind?: ShelterKind },
): ParsedShelterList {
  const header = readHeader(table.header.cells);
  const kind = kindOf(header, opts.kind);
  const rows: ShelterRow[] = [];
  const errors: ShelterRowError[] = [];
  const firstLine = new Map<string, number>();
  let otherMunicipality = 0;

  for (const record of table.records) {
    const extra = record.cells.slice(header.width).some((c) => c.trim() !== '');
    if (record.cells.length < header.width || extra) {
      errors.push({
        line: record.line,
        code: ShelterRowErrorCode.ColumnCount,
        message: `Expected ${header.width} columns as in the header, found ${record.cells.length}`,
      });
      continue;
    }
    const r = new RowReader(header, record);
    const externalId = r.read('externalId', code, true);
    const gsiCode =
      header.format === ShelterFormat.Gsi && externalId ? gsiMunicipality(externalId) : undefined;
    const ours =
      header.format === ShelterFormat.Gsi
        ? gsiCode === undefined || gsiCode === opts.municipalityCode.slice(0, 5)
        : (r.read('municipalityCode', (v) => sameMunicipality(v, opts.municipalityCode)) ?? true);
    if (!ours) {
      otherMunicipality++;
      continue;
    }
    const row: ShelterRow = {
      line: record.line,
      externalId: externalId ?? '',
      kind,
      name: r.read('name', (v) => plainText(v, 200), true) ?? '',
      nameKana: r.read('nameKana', (v) => plainText(v, 200)),
      address: r.read('address', (v) => plainText(v.replace(/\s*\n\s*/g, ' '), 500)),
      latitude: r.read('latitude', degrees(90)),
      longitude: r.read('longitude', degrees(180)),
      capacity: r.read('capacity', capacity),
      hazards: HAZARD_WORDS.map(([h]) => h).filter((h) => r.read(h, flag) === true),
      districts: r.read('districts', districts) ?? [],
    };
    // a point needs both coordinates: one alone would put the shelter on the equator or the meridian
    if ((r.cell('latitude') === '') !== (r.cell('longitude') === '')) {
      const missing = r.cell('latitude') === '' ? 'latitude' : 'longitude';
      r.problem(
        missing,
        ShelterRowErrorCode.MissingValue,
        `${r.name(missing)} is required with the other coordinate`,
      );
    }
    errors.push(...r.sorted());
    if (externalId !== null) {
      const first = firstLine.get(externalId);
      if (first !== undefined) {
        errors.push({
          line: record.line,
          code: ShelterRowErrorCode.DuplicateInFile,
          message: `${r.name('externalId')} ${externalId} repeats line ${first}`,
          column: r.name('externalId'),
        });
        continue;
      }
      firstLine.set(externalId, record.line);
    }
    if (r.errors.length === 0) rows.push(row);
  }
  return {
    format: header.format,
    kind,
    rows,
    errors: errors.sort((a, b) => a.line - b.line),
    otherMunicipality,
    ignoredColumns: header.ignored,
  };
}
