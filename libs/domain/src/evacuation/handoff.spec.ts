import { parse } from 'csv-parse/sync';
import { Role } from '../enums';
import { Hazard } from '../hazard';
import { HandoffDistrictState, lalertCsv, lalertJson, lalertRecord, type LAlertRecordInput } from './handoff';
import {
  applyOrderCommand,
  draftOrder,
  OrderAction,
  type OrderCommand,
  OrderMessageKind,
  OrderStatus,
} from './order';

const actor = { id: 'op-1', role: Role.Operator };
const issuedAt = new Date('2026-09-01T00:30:00Z');
const later = new Date('2026-09-01T06:15:00Z');
const municipality = { code: '322067', name: '安来市' };
const counts = { '04': { households: 120, people: 310 }, '01': { households: 800, people: 1900 } };
const shelters = [
  { code: '0001', name: '安来市民会館', address: '島根県安来市安来町1', phone: '0854-23-0000' },
];

function steps(...commands: OrderCommand[]) {
  let order = draftOrder({
    id: 'ord-7',
    municipalityId: 'mun-1',
    hazard: Hazard.Flood,
    level: 4,
    wholeMunicipality: false,
    districts: [
      { code: '04', name: '荒島' },
      { code: '01', name: '安来' },
    ],
    createdBy: actor.id,
  });
  return commands.map((command, i) => {
    const step = applyOrderCommand(order, command, { actor, at: i === 0 ? issuedAt : later });
    order = step.order;
    return step;
  });
}

function record(step: ReturnType<typeof steps>[number], over: Partial<LAlertRecordInput> = {}) {
  return lalertRecord({
    municipality,
    order: step.order,
    message: step.message!,
    changedAt: step.history.at,
    counts,
    openShelters: shelters,
    recordedBy: 'op-1',
    ...over,
  });
}

describe(lalertRecord.name, () => {
  it('carries what L-Alert asks for 避難情報 and 避難所情報, times in JST', () => {
    const [issue] = steps({ action: OrderAction.Issue });
    expect(record(issue)).toEqual({
      municipalityCode: '322067',
      municipalityName: '安来市',
      orderId: 'ord-7',
      version: 2,
      change: OrderMessageKind.Issue,
      changeName: '発令',
      status: OrderStatus.Issued,
      hazard: Hazard.Flood,
      hazardName: '洪水',
      level: 4,
      levelName: '避難指示',
      wholeMunicipality: false,
      districts: [
        { code: '04', name: '荒島', state: HandoffDistrictState.InForce, households: 120, people: 310 },
        { code: '01', name: '安来', state: HandoffDistrictState.InForce, households: 800, people: 1900 },
      ],
      issuedAt: '2026-09-01T09:30:00+09:00',
      liftedAt: null,
      retractedAt: null,
      changedAt: '2026-09-01T09:30:00+09:00',
      households: 920,
      people: 2210,
      openShelters: [
        { code: '0001', name: '安来市民会館', address: '島根県安来市安来町1', phone: '0854-23-0000' },
      ],
      recordedBy: 'op-1',
    });
  });

  it('shows districts taken out of an order as lifted, beside those still in force', () => {
    const [, shrink] = steps(
      { action: OrderAction.Issue },
      { action: OrderAction.RemoveDistricts, codes: ['01'] },
    );
    const r = record(shrink);
    expect(r).toMatchObject({
      change: OrderMessageKind.Shrink,
      changeName: '一部解除',
      households: 120,
      people: 310,
    });
    expect(r.districts.map((d) => [d.code, d.state])).toEqual([
      ['04', HandoffDistrictState.InForce],
      ['01', HandoffDistrictState.Lifted],
    ]);
  });

  it('stamps lifts and retractions with their time', () => {
    const [, lift] = steps({ action: OrderAction.Issue }, { action: OrderAction.Lift });
    expect(record(lift)).toMatchObject({
      status: OrderStatus.Lifted,
      changeName: '解除',
      liftedAt: '2026-09-01T15:15:00+09:00',
      households: 920,
    });
    const [, retract] = steps(
      { action: OrderAction.Issue },
      { action: OrderAction.Retract, reason: 'mistake' },
    );
    expect(record(retract)).toMatchObject({
      status: OrderStatus.Retracted,
      changeName: '取消',
      retractedAt: '2026-09-01T15:15:00+09:00',
      liftedAt: null,
    });
  });

  it('counts a municipality-wide order under the municipality code', () => {
    const order = draftOrder({
      id: 'ord-8',
      municipalityId: 'mun-1',
      hazard: Hazard.HeavyRain,
      level: 5,
      wholeMunicipality: true,
      districts: [],
      createdBy: actor.id,
    });
    const step = applyOrderCommand(order, { action: OrderAction.Issue }, { actor, at: issuedAt });
    const r = record(step, { counts: { '322067': { households: 14000, people: 37000 } } });
    expect(r.districts).toEqual([
      {
        code: '322067',
        name: '安来市全域',
        state: HandoffDistrictState.InForce,
        households: 14000,
        people: 37000,
      },
    ]);
    expect(r.people).toBe(37000);
  });
});

describe('the L-Alert downloads', () => {
  const [issue, shrink] = steps(
    { action: OrderAction.Issue },
    { action: OrderAction.RemoveDistricts, codes: ['01'] },
  );
  const records = [record(issue), record(shrink)];

  it('writes JSON with the records as built', () => {
    expect(JSON.parse(lalertJson(records))).toEqual({ records });
  });

  it('writes a CSV with a BOM: one 避難情報 row per district, then one 避難所情報 row per shelter', () => {
    const csv = lalertCsv(records);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows: string[][] = parse(csv.slice(1), { relaxColumnCount: true, skipEmptyLines: false });
    expect(rows[0]).toEqual(['避難情報']);
    expect(rows[1].slice(0, 4)).toEqual(['市町村コード', '市町村名', '発令番号', '版']);
    expect(rows.slice(2, 6).map((r) => [r[0], r[4], r[8], r[9], r[10], r[15], r[16]])).toEqual([
      ['="322067"', '発令', '="04"', '荒島', '発令中', '120', '310'],
      ['="322067"', '発令', '="01"', '安来', '発令中', '800', '1900'],
      ['="322067"', '一部解除', '="04"', '荒島', '発令中', '120', '310'],
      ['="322067"', '一部解除', '="01"', '安来', '解除', '800', '1900'],
    ]);
    expect(rows[2][11]).toBe('2026-09-01T09:30:00+09:00');
    expect(rows[6]).toEqual(['']);
    expect(rows[7]).toEqual(['避難所情報']);
    expect(rows[9]).toEqual([
      '="322067"',
      'ord-7',
      '2',
      '="0001"',
      '安来市民会館',
      '島根県安来市安来町1',
      '="0854-23-0000"',
    ]);
    expect(rows).toHaveLength(11);
  });
});
