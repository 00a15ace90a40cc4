import {
  ConsentScope,
  DomainError,
  ErrorCode,
  LANGUAGES,
  SupporterRelation,
  enumValues,
  parseEmail,
  type Language,
} from '@bousai/domain';
import type { HouseholdImportRow, ResidentImportRow, SupporterImportRow } from '@bousai/persistence';
import type { CsvRecord } from './csv-reader';

export type RosterKind = 'households' | 'residents' | 'supporters';

/** Why a row was not imported. Codes are stable: clients translate them. */
export enum ImportErrorCode {
  MissingValue = 'MISSING_VALUE',
  InvalidValue = 'INVALID_VALUE',
  ColumnCount = 'COLUMN_COUNT',
  DuplicateInFile = 'DUPLICATE_IN_FILE',
  UnknownArea = 'UNKNOWN_AREA',
  UnknownHousehold = 'UNKNOWN_HOUSEHOLD',
  UnknownResident = 'UNKNOWN_RESIDENT',
}

export interface ImportRowError {
  /** 1-based physical line of the file where the record starts; the header is line 1. */
  line: number;
  code: ImportErrorCode;
  message: string;
  /** The column as its header is written in the file. */
  column?: string;
}

export interface ColumnDef<F extends string> {
  field: F;
  /** Accepted header names: ours, then what municipal register exports write. Compared after normalising. */
  names: readonly string[];
  required?: boolean;
}

/**
 * The national 個人番号 (My Number) may be used only for the purposes the マイナンバー法 lists; a disaster-alert
 * roster is not one of them. A file carrying it is refused whole rather than silently ignoring the column, so the
 * export that produced it gets fixed.
 */
const FORBIDDEN_COLUMNS = ['個人番号', 'マイナンバー', 'my_number', 'individual_number'];

/** `Household ID`, `household_id`, `householdId`, `ＨＯＵＳＥＨＯＬＤ＿ＩＤ` and `世帯 番号` all compare equal. */
export function normaliseHeader(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.・]/g, '');
}

export interface ResolvedHeader<F extends string> {
  /** Position of each field present in the file. */
  index: ReadonlyMap<F, number>;
  /** Each field's header as written in the file, or our name for it when the file has no such column. */
  label: ReadonlyMap<F, string>;
  /** Number of header cells: every record must have as many (trailing empty cells aside). */
  width: number;
  /** Header cells that name no column we import, as written. */
  ignored: string[];
}

function invalidHeader(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError(ErrorCode.CsvInvalid, message, details);
}

export function resolveHeader<F extends string>(
  columns: readonly ColumnDef<F>[],
  cells: readonly string[],
): ResolvedHeader<F> {
  const byName = new Map<string, ColumnDef<F>>();
  for (const column of columns) for (const name of column.names) byName.set(normaliseHeader(name), column);
  const forbidden = new Set(FORBIDDEN_COLUMNS.map(normaliseHeader));

  const index = new Map<F, number>();
  const label = new Map<F, string>(columns.map((c) => [c.field, c.names[0]]));
  const ignored: string[] = [];
  const duplicated: string[] = [];
  const refused: string[] = [];
  cells.forEach((cell, position) => {
    const written = cell.replace(/^\uFEFF/, '').trim();
    const key = normaliseHeader(written);
    if (key === '') return;
    if (forbidden.has(key)) {
      refused.push(written);
      return;
    }
    const column = byName.get(key);
    if (!column) {
      ignored.push(written);
      return;
    }
    if (index.has(column.field)) {
      duplicated.push(written);
      return;
    }
    index.set(column.field, position);
    label.set(column.field, written);
  });

  if (refused.length > 0) {
    throw invalidHeader(
      `The file must not contain 個人番号 (My Number): remove the column ${refused.map((c) => `"${c}"`).join(', ')} and upload again`,
      { forbiddenColumns: refused },
    );
  }
  if (duplicated.length > 0) {
    throw invalidHeader(`Columns appear more than once: ${duplicated.join(', ')}`, {
      duplicateColumns: duplicated,
    });
  }
  const missing = columns.filter((c) => c.required && !index.has(c.field));
  if (missing.length > 0) {
    throw invalidHeader(`Required columns are missing: ${missing.map((c) => c.names.join('/')).join(', ')}`, {
      missingColumns: missing.map((c) => ({ column: c.names[0], accepted: c.names })),
    });
  }
  return { index, label, width: cells.length, ignored };
}

/** A cell that cannot be read; the reader turns it into a row error against its column. */
class CellError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** C0 controls other than tab, LF and CR, and DEL: never part of a name or an address (and NUL breaks Postgres text). */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** Reads one record's cells by field, collecting every problem instead of stopping at the first. */
export class RowReader<F extends string> {
  private readonly found: { error: ImportRowError; position: number }[] = [];

  constructor(
    private readonly header: ResolvedHeader<F>,
    readonly record: CsvRecord,
  ) {}

  get line(): number {
    return this.record.line;
  }

  has(field: F): boolean {
    return this.header.index.has(field);
  }

  /** The problems found so far, in the order of the columns in the file. */
  get errors(): ImportRowError[] {
    return [...this.found].sort((a, b) => a.position - b.position).map((f) => f.error);
  }

  fail(field: F, code: ImportErrorCode, message: string): void {
    this.found.push({
      error: { line: this.line, code, message, column: this.header.label.get(field) },
      position: this.header.index.get(field) ?? Number.MAX_SAFE_INTEGER,
    });
  }

  /** The trimmed cell, or '' when the file has no such column. */
  cell(field: F): string {
    const position = this.header.index.get(field);
    return position === undefined ? '' : (this.record.cells[position] ?? '').trim();
  }

  /** The parsed cell; null when blank (reported when required) or unreadable (reported). */
  read<T>(field: F, parse: (value: string) => T, opts: { required?: boolean } = {}): T | null {
    const value = this.cell(field);
    if (value === '') {
      if (opts.required) this.fail(field, ImportErrorCode.MissingValue, `${this.name(field)} is required`);
      return null;
    }
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof CellError)) throw err;
      this.fail(field, err.code, `${this.name(field)}: ${err.message}`);
      return null;
    }
  }

  name(field: F): string {
    return this.header.label.get(field) ?? field;
  }
}

// ---- cell parsers: each takes a trimmed, non-empty cell and returns the stored value or throws CellError ----

function invalid(message: string): never {
  throw new CellError(ImportErrorCode.InvalidValue, message);
}

function limited(max: number, value: string): string {
  if (value.length > max) invalid(`longer than ${max} characters`);
  return value;
}

/** Register numbers and codes: full-width digits and letters (common in Japanese exports) become ASCII. */
export function parseCode(value: string): string {
  const code = value.normalize('NFKC').trim();
  if (hasControl(code) || code.includes('\n')) invalid('contains a line break or control character');
  return limited(64, code);
}

/** Names are kept as written: normalising them could change how a person's name is spelt. */
export function parseName(value: string): string {
  if (hasControl(value) || value.includes('\n')) invalid('contains a line break or control character');
  return limited(200, value);
}

/** Addresses may be split over lines in the source (住所 + 方書); stored on one line. */
export function parseAddress(value: string): string {
  const address = value.replace(/\s*\n\s*/g, ' ');
  if (hasControl(address)) invalid('contains a control character');
  return limited(500, address);
}

/** 〒123-4567, 1234567, １２３－４５６７ → 123-4567. */
export function parsePostalCode(value: string): string {
  const match = /^〒?\s*(\d{3})-?(\d{4})$/.exec(value.normalize('NFKC').replace(/[‐−ー－]/g, '-'));
  if (!match) return invalid('expected a 7-digit postal code such as 123-4567');
  return `${match[1]}-${match[2]}`;
}

/** Japanese numbers as written (03-1234-5678, 090(1234)5678, +81 90…); full-width digits become ASCII. */
export function parsePhone(value: string): string {
  const phone = value.normalize('NFKC').replace(/[‐−ー－]/g, '-');
  const digits = phone.replace(/\D/g, '');
  if (!/^\+?[\d\-() ]+$/.test(phone) || digits.length < 6 || digits.length > 15) {
    return invalid('expected a telephone number such as 03-1234-5678');
  }
  return phone;
}

export function parseEmailCell(value: string): string {
  try {
    return parseEmail(value.normalize('NFKC')).address;
  } catch (err) {
    if (err instanceof DomainError) return invalid('expected an email address');
    throw err;
  }
}

function parseDegrees(value: string, limit: number): number {
  const text = value.normalize('NFKC');
  const n = /^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > limit)
    invalid(`expected decimal degrees between -${limit} and ${limit}`);
  return n;
}

export const parseLatitude = (value: string): number => parseDegrees(value, 90);
export const parseLongitude = (value: string): number => parseDegrees(value, 180);

const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'はい', '○', '◯', '〇', '有', 'あり']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'いいえ', '×', '✕', '無', 'なし', '-']);

/** 1/0, true/false, yes/no, はい/いいえ, ○/×; a blank cell is false (register exports mark only the yes cases). */
export function parseFlag(value: string): boolean {
  const text = value.normalize('NFKC').trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return invalid('expected 1/0, true/false, yes/no, はい/いいえ or ○/blank');
}

const LANGUAGE_NAMES: Readonly<Partial<Record<string, Language>>> = {
  日本語: 'ja',
  やさしい日本語: 'ja-easy',
  英語: 'en',
  中国語: 'zh-CN',
  '中国語(簡体字)': 'zh-CN',
  '中国語(繁体字)': 'zh-TW',
  韓国語: 'ko',
  ベトナム語: 'vi',
  ポルトガル語: 'pt',
  ネパール語: 'ne',
  タガログ語: 'tl',
  フィリピン語: 'tl',
  インドネシア語: 'id',
  スペイン語: 'es',
  タイ語: 'th',
};

/** A language tag of {@link LANGUAGES} in any case (`zh_cn` too), or its Japanese name (英語). */
export function parseLanguage(value: string): Language {
  const text = value.normalize('NFKC').trim();
  const named = LANGUAGE_NAMES[text];
  if (named) return named;
  const tag = LANGUAGES.find((l) => l.toLowerCase() === text.toLowerCase().replace('_', '-'));
  return tag ?? invalid(`expected one of ${LANGUAGES.join(', ')}`);
}

const SCOPES = enumValues(ConsentScope);

/** `alerts;safety`: a semicolon list of consent scopes (full-width ； too). */
export function parseConsent(value: string): ConsentScope[] {
  const scopes = new Set<ConsentScope>();
  for (const part of value.normalize('NFKC').split(';')) {
    const scope = part.trim().toLowerCase();
    if (scope === '') continue;
    if (!SCOPES.includes(scope)) invalid(`"${scope}" is not a consent scope: expected ${SCOPES.join(';')}`);
    scopes.add(scope as ConsentScope);
  }
  if (scopes.size === 0) invalid('no consent scope given');
  return [...scopes];
}

const RELATION_NAMES: Readonly<Partial<Record<string, SupporterRelation>>> = {
  家族: SupporterRelation.Family,
  親族: SupporterRelation.Family,
  近隣: SupporterRelation.Neighbour,
  近所: SupporterRelation.Neighbour,
  neighbor: SupporterRelation.Neighbour,
  民生委員: SupporterRelation.WelfareCommissioner,
  職員: SupporterRelation.Staff,
  その他: SupporterRelation.Other,
};

export function parseRelation(value: string): SupporterRelation {
  const text = value.normalize('NFKC').trim().toLowerCase();
  const relation =
    RELATION_NAMES[text] ?? Object.values(SupporterRelation).find((r) => r === (text as SupporterRelation));
  if (!relation) {
    return invalid(
      `expected one of ${enumValues(SupporterRelation).join(', ')} or 家族/近隣/民生委員/職員/その他`,
    );
  }
  return relation;
}

/** 1 is tried first; smallint in the schema. */
export function parsePriority(value: string): number {
  const text = value.normalize('NFKC').trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 32767) invalid('expected a whole number from 1');
  return n;
}

// ---- the three files ----

export interface BuiltRow<R> {
  /** The row's identity within the file, when its key cells could be read. */
  key?: string;
  /** The row to import, when every cell could be read. */
  row?: R;
}

export interface RosterSchema<F extends string, R> {
  columns: readonly ColumnDef<F>[];
  /** The fields that identify a row within a file (and in the database). */
  key: readonly F[];
  build(reader: RowReader<F>): BuiltRow<R>;
}

type HouseholdField = Exclude<keyof HouseholdImportRow, 'line'>;
type ResidentField = Exclude<keyof ResidentImportRow, 'line'>;
type SupporterField = Exclude<keyof SupporterImportRow, 'line'>;

function complete<F extends string, R>(reader: RowReader<F>, key: string | null, row: R): BuiltRow<R> {
  return { key: key ?? undefined, row: reader.errors.length === 0 ? row : undefined };
}

export const HOUSEHOLDS: RosterSchema<HouseholdField, HouseholdImportRow> = {
  columns: [
    { field: 'externalId', names: ['household_id', '世帯番号', '世帯コード'], required: true },
    { field: 'areaCode', names: ['area_code', '地区コード', '地区番号'], required: true },
    { field: 'address', names: ['address', '住所', '所在地'], required: true },
    { field: 'postalCode', names: ['postal_code', 'zip_code', '郵便番号'] },
    { field: 'phone', names: ['phone', 'tel', '電話番号', '電話'] },
    { field: 'latitude', names: ['latitude', 'lat', '緯度'] },
    { field: 'longitude', names: ['longitude', 'lng', 'lon', '経度'] },
  ],
  key: ['externalId'],
  build(r) {
    const externalId = r.read('externalId', parseCode, { required: true });
    const areaCode = r.read('areaCode', parseCode, { required: true });
    const address = r.read('address', parseAddress, { required: true });
    const postalCode = r.read('postalCode', parsePostalCode);
    const phone = r.read('phone', parsePhone);
    const latitude = r.read('latitude', parseLatitude);
    const longitude = r.read('longitude', parseLongitude);
    // a point needs both coordinates; one alone would place the household on the equator or the meridian
    const hasLatitude = r.cell('latitude') !== '';
    if (hasLatitude !== (r.cell('longitude') !== '')) {
      const [given, missing] = hasLatitude
        ? (['latitude', 'longitude'] as const)
        : (['longitude', 'latitude'] as const);
      r.fail(
        missing,
        ImportErrorCode.MissingValue,
        `${r.name(missing)} is required when ${r.name(given)} is given`,
      );
    }
    return complete(r, externalId, {
      line: r.line,
      externalId: externalId ?? '',
      areaCode: areaCode ?? '',
      address: address ?? '',
      postalCode,
      phone,
      latitude,
      longitude,
    });
  },
};

export const RESIDENTS: RosterSchema<ResidentField, ResidentImportRow> = {
  columns: [
    // 個人番号 is never used: municipalities key their systems on 住民番号 / 宛名番号
    { field: 'externalId', names: ['resident_id', '住民番号', '宛名番号'], required: true },
    { field: 'householdExternalId', names: ['household_id', '世帯番号', '世帯コード'] },
    { field: 'name', names: ['name', '氏名', '名前'], required: true },
    {
      field: 'nameKana',
      names: ['name_kana', 'ふりがな', 'フリガナ', '氏名カナ', 'カナ氏名', '氏名ふりがな'],
    },
    { field: 'language', names: ['language', '言語'] },
    { field: 'needsAssistance', names: ['needs_assistance', '要援護者', '要支援者', '避難行動要支援者'] },
    { field: 'staff', names: ['staff', '職員'] },
    { field: 'consentScopes', names: ['consent', 'consent_scopes', '同意'] },
    { field: 'phone', names: ['phone', 'tel', '電話番号', '電話'] },
  ],
  key: ['externalId'],
  build(r) {
    const externalId = r.read('externalId', parseCode, { required: true });
    const row: ResidentImportRow = {
      line: r.line,
      externalId: externalId ?? '',
      householdExternalId: r.read('householdExternalId', parseCode),
      name: r.read('name', parseName, { required: true }) ?? '',
      nameKana: r.read('nameKana', parseName),
      language: r.read('language', parseLanguage) ?? 'ja',
      needsAssistance: r.read('needsAssistance', parseFlag) ?? false,
      staff: r.read('staff', parseFlag) ?? false,
      consentScopes: r.read('consentScopes', parseConsent) ?? [ConsentScope.Alerts],
      phone: r.read('phone', parsePhone),
    };
    return complete(r, externalId, row);
  },
};

export const SUPPORTERS: RosterSchema<SupporterField, SupporterImportRow> = {
  columns: [
    { field: 'residentExternalId', names: ['resident_id', '住民番号', '宛名番号'], required: true },
    { field: 'priority', names: ['priority', '順位', '優先順位'], required: true },
    { field: 'name', names: ['name', '氏名', '支援者氏名'], required: true },
    { field: 'relation', names: ['relation', '続柄', '関係'], required: true },
    { field: 'phone', names: ['phone', 'tel', '電話番号', '電話'] },
    { field: 'email', names: ['email', 'メール', 'メールアドレス'] },
    {
      field: 'supporterResidentExternalId',
      names: ['supporter_resident_id', '支援者住民番号', '支援者宛名番号'],
    },
  ],
  key: ['residentExternalId', 'priority'],
  build(r) {
    const residentExternalId = r.read('residentExternalId', parseCode, { required: true });
    const priority = r.read('priority', parsePriority, { required: true });
    const supporterResidentExternalId = r.read('supporterResidentExternalId', parseCode);
    if (supporterResidentExternalId !== null && supporterResidentExternalId === residentExternalId) {
      r.fail(
        'supporterResidentExternalId',
        ImportErrorCode.InvalidValue,
        'a resident cannot be their own supporter',
      );
    }
    const row: SupporterImportRow = {
      line: r.line,
      residentExternalId: residentExternalId ?? '',
      priority: priority ?? 0,
      name: r.read('name', parseName, { required: true }) ?? '',
      relation: r.read('relation', parseRelation, { required: true }) ?? SupporterRelation.Other,
      phone: r.read('phone', parsePhone),
      email: r.read('email', parseEmailCell),
      supporterResidentExternalId,
    };
    const key =
      residentExternalId !== null && priority !== null ? `${residentExternalId}\u0000${priority}` : null;
    return complete(r, key, row);
  },
};
