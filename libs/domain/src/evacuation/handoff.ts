import { type CsvCell, csvCode, isoInTimeZone, MUNICIPALITY_TIME_ZONE, writeCsv } from '../csv';
import { HAZARD_NAMES_JA, type Hazard } from '../hazard';
import { EVACUATION_LEVEL_NAMES_JA, type EvacuationLevel } from './levels';
import { type EvacuationOrder, type OrderMessage, OrderMessageKind, OrderStatus } from './order';

/**
 * The hand-off record of one order step for L-Alert (災害情報共有システム). L-Alert's own format (公共情報コモンズ
 * XML in an EDXL-DE envelope) is given only to its partners and municipalities enter 避難情報 and 避難所情報
 * through their prefecture's system, so bousai hands over the fields those screens ask for — level, district,
 * issued/lifted time, 対象世帯数, 対象者数, open shelters with contact — as JSON and as CSV (UTF-8 with BOM, the
 * project's one CSV writer). Times are JST (ISO 8601 with +09:00).
 */
export interface HandoffShelter {
  code?: string | null;
  name: string;
  address?: string | null;
  /** The shelter's phone, or the office that answers for it. */
  phone?: string | null;
}

export interface DistrictCount {
  households: number;
  people: number;
}

/** How a district stands after the step, as L-Alert's 避難情報 shows it. */
export enum HandoffDistrictState {
  InForce = 'in_force',
  Lifted = 'lifted',
  Retracted = 'retracted',
}

export interface HandoffDistrict extends DistrictCount {
  code: string;
  name: string;
  state: HandoffDistrictState;
}

export interface LAlertRecord {
  municipalityCode: string;
  municipalityName: string;
  orderId: string;
  /** The order's version after the step: orders the records of one order. */
  version: number;
  change: OrderMessageKind;
  changeName: string;
  status: OrderStatus;
  hazard: Hazard;
  hazardName: string;
  level: EvacuationLevel;
  levelName: string;
  wholeMunicipality: boolean;
  /** The order's districts after the step, and those the step lifted (一部解除), each with its state. */
  districts: HandoffDistrict[];
  issuedAt: string | null;
  liftedAt: string | null;
  retractedAt: string | null;
  /** When this step happened. */
  changedAt: string;
  /** Totals over `districts` in force (or, once the order ended, over the districts it covered). */
  households: number;
  people: number;
  openShelters: HandoffShelter[];
  recordedBy: string | null;
}

export const CHANGE_NAMES_JA: Readonly<Record<OrderMessageKind, string>> = {
  [OrderMessageKind.Issue]: '発令',
  [OrderMessageKind.Raise]: '引上げ',
  [OrderMessageKind.Lower]: '引下げ',
  [OrderMessageKind.Extend]: '対象地区追加',
  [OrderMessageKind.Shrink]: '一部解除',
  [OrderMessageKind.Lift]: '解除',
  [OrderMessageKind.Retract]: '取消',
};

const DISTRICT_STATE_JA: Readonly<Record<HandoffDistrictState, string>> = {
  [HandoffDistrictState.InForce]: '発令中',
  [HandoffDistrictState.Lifted]: '解除',
  [HandoffDistrictState.Retracted]: '取消',
};

export interface LAlertRecordInput {
  /** 全国地方公共団体コード (6 digits) and name. */
  municipality: { code: string; name: string };
  /** The order after the step. */
  order: EvacuationOrder;
  /** The step's message (what changed, for whom). */
  message: OrderMessage;
  changedAt: Date;
  /**
   * Households and people per district code, counted from the roster; a municipality-wide order is counted
   * under the municipality's code.
   */
  counts: Readonly<Record<string, DistrictCount>>;
  openShelters: readonly HandoffShelter[];
  recordedBy: string | null;
}

const jst = (d: Date | null) => (d ? isoInTimeZone(d, MUNICIPALITY_TIME_ZONE) : null);

function stateOf(order: EvacuationOrder): HandoffDistrictState {
  if (order.status === OrderStatus.Lifted) return HandoffDistrictState.Lifted;
  if (order.status === OrderStatus.Retracted) return HandoffDistrictState.Retracted;
  return HandoffDistrictState.InForce;
}

export function lalertRecord(input: LAlertRecordInput): LAlertRecord {
  const { order, message, municipality } = input;
  const count = (code: string): DistrictCount => input.counts[code] ?? { households: 0, people: 0 };
  const state = stateOf(order);
  const districts: HandoffDistrict[] = order.wholeMunicipality
    ? [{ code: municipality.code, name: `${municipality.name}全域`, state, ...count(municipality.code) }]
    : order.districts.map((d) => ({ code: d.code, name: d.name, state, ...count(d.code) }));
  if (message.kind === OrderMessageKind.Shrink) {
    for (const d of message.districts) {
      districts.push({ code: d.code, name: d.name, state: HandoffDistrictState.Lifted, ...count(d.code) });
    }
  }
  const counted = districts.filter((d) => d.state === state);
  return {
    municipalityCode: municipality.code,
    municipalityName: municipality.name,
    orderId: order.id,
    version: order.version,
    change: message.kind,
    changeName: CHANGE_NAMES_JA[message.kind],
    status: order.status,
    hazard: order.hazard,
    hazardName: HAZARD_NAMES_JA[order.hazard],
    level: order.level,
    levelName: EVACUATION_LEVEL_NAMES_JA[order.level],
    wholeMunicipality: order.wholeMunicipality,
    districts,
    issuedAt: jst(order.issuedAt),
    liftedAt: jst(order.liftedAt),
    retractedAt: jst(order.retractedAt),
    changedAt: jst(input.changedAt)!,
    households: counted.reduce((sum, d) => sum + d.households, 0),
    people: counted.reduce((sum, d) => sum + d.people, 0),
    openShelters: input.openShelters.map((s) => ({
      code: s.code ?? null,
      name: s.name,
      address: s.address ?? null,
      phone: s.phone ?? null,
    })),
    recordedBy: input.recordedBy,
  };
}

/** The JSON download: the records as they are (times already JST). */
export function lalertJson(records: readonly LAlertRecord[]): string {
  return `${JSON.stringify({ records }, null, 2)}\n`;
}

const ORDER_HEADER = [
  '市町村コード',
  '市町村名',
  '発令番号',
  '版',
  '変更種別',
  '災害種別',
  '警戒レベル',
  '避難情報',
  '地区コード',
  '地区名',
  '地区の状態',
  '発令日時',
  '解除日時',
  '取消日時',
  '更新日時',
  '対象世帯数',
  '対象者数',
  '記録者',
];

const SHELTER_HEADER = ['市町村コード', '発令番号', '版', '避難所コード', '避難所名', '所在地', '連絡先'];

/**
 * The CSV download for the prefecture's system: a 避難情報 section (one row per district of each record), an empty
 * line, then a 避難所情報 section (one row per open shelter of each record). UTF-8 with BOM, codes kept as text.
 */
export function lalertCsv(records: readonly LAlertRecord[]): string {
  const rows: CsvCell[][] = [['避難情報'], ORDER_HEADER];
  for (const r of records) {
    for (const d of r.districts) {
      rows.push([
        csvCode(r.municipalityCode),
        r.municipalityName,
        r.orderId,
        r.version,
        r.changeName,
        r.hazardName,
        r.level,
        r.levelName,
        csvCode(d.code),
        d.name,
        DISTRICT_STATE_JA[d.state],
        r.issuedAt,
        r.liftedAt,
        r.retractedAt,
        r.changedAt,
        d.households,
        d.people,
        r.recordedBy,
      ]);
    }
  }
  rows.push([], ['避難所情報'], SHELTER_HEADER);
  for (const r of records) {
    for (const s of r.openShelters) {
      rows.push([
        csvCode(r.municipalityCode),
        r.orderId,
        r.version,
        csvCode(s.code),
        s.name,
        s.address,
        csvCode(s.phone),
      ]);
    }
  }
  return writeCsv(rows);
}
