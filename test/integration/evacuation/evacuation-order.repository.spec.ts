import { randomInt } from 'node:crypto';
import {
  applyOrderCommand,
  draftOrder,
  ErrorCode,
  EvacuationLevel,
  Hazard,
  inForceByDistrict,
  OrderAction,
  type OrderCommand,
  OrderMessageKind,
  OrderSource,
  OrderStatus,
  Role,
} from '@bousai/domain';
import { EvacuationOrderRepository, type StoredOrder, TransactionRunner } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

describe(EvacuationOrderRepository.name, () => {
  let db: TestDatabase;
  let sut: EvacuationOrderRepository;
  let tx: TransactionRunner;
  const actor = { id: 'op-1', role: Role.Approver };

  const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
    db.dataSource.query<T[]>(sql, params);

  /** A municipality of its own with districts A1 中央, A2 北, A3 南; A1 has 2 households of 3 people, A2 1 of 1. */
  async function municipality(): Promise<{ id: string; areas: Record<string, string> }> {
    const [m] = await q<{ id: string }>(
      `INSERT INTO municipality (code, name) VALUES ($1, 'テスト市') RETURNING id`,
      [String(randomInt(100000, 999999))],
    );
    const rows = await q<{ id: string; code: string }>(
      `INSERT INTO area (municipality_id, code, name) VALUES ($1, 'A1', '中央'), ($1, 'A2', '北'), ($1, 'A3', '南')
       RETURNING id, code`,
      [m.id],
    );
    const areas = Object.fromEntries(rows.map((r) => [r.code, r.id]));
    const households = await q<{ id: string; area_id: string }>(
      `INSERT INTO household (municipality_id, external_id, area_id, address)
       VALUES ($1, 'H1', $2, '中央1'), ($1, 'H2', $2, '中央2'), ($1, 'H3', $3, '北1') RETURNING id, area_id`,
      [m.id, areas.A1, areas.A2],
    );
    const people = [2, 1, 1];
    let n = 0;
    for (const [i, h] of households.entries()) {
      for (let p = 0; p < people[i]; p++) {
        n++;
        await q(
          `INSERT INTO resident (municipality_id, external_id, household_id, name) VALUES ($1, $2, $3, $4)`,
          [m.id, `R${n}`, h.id, `住民${n}`],
        );
      }
    }
    return { id: m.id, areas };
  }

  async function draft(
    municipalityId: string,
    o: { hazard: Hazard; level: EvacuationLevel; codes?: string[]; whole?: boolean },
  ): Promise<StoredOrder> {
    const { districts, missing } = await sut.districtsByCode(municipalityId, o.codes ?? []);
    expect(missing).toEqual([]);
    return tx.run(async (em) =>
      sut.insert(
        em,
        draftOrder({
          id: await sut.nextId(em),
          municipalityId,
          hazard: o.hazard,
          level: o.level,
          wholeMunicipality: o.whole ?? false,
          districts,
          createdBy: null,
        }),
        { source: OrderSource.Feed, sourceDocumentId: null },
      ),
    );
  }

  /** What the application layer does: lock, apply the domain's rule, store the step. */
  const step = (municipalityId: string, id: string, command: OrderCommand, at: Date) =>
    tx.run(async (em) => {
      const current = await sut.lockForUpdate(em, municipalityId, id);
      if (!current) throw new Error('no such order');
      const result = applyOrderCommand(current, command, { actor, at });
      await sut.saveStep(em, result.order, result.history, null);
      return result;
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = new EvacuationOrderRepository(db.dataSource);
    tx = new TransactionRunner(db.dataSource);
  });
  afterAll(() => db.drop());

  it('the in-force query gives what the domain rule gives on the same orders', async () => {
    const m = await municipality();
    const t = (minute: number) => new Date(Date.UTC(2026, 6, 1, 3, minute));
    const a = await draft(m.id, {
      hazard: Hazard.Flood,
      level: EvacuationLevel.ElderlyEvacuation,
      codes: ['A1', 'A2'],
    });
    await step(m.id, a.id, { action: OrderAction.Issue }, t(1));
    const whole = await draft(m.id, {
      hazard: Hazard.HeavyRain,
      level: EvacuationLevel.EvacuationInstruction,
      whole: true,
    });
    await step(m.id, whole.id, { action: OrderAction.Issue }, t(2));
    await draft(m.id, { hazard: Hazard.Flood, level: EvacuationLevel.EmergencySafety, codes: ['A3'] });
    const lifted = await draft(m.id, {
      hazard: Hazard.Landslide,
      level: EvacuationLevel.EmergencySafety,
      codes: ['A1'],
    });
    await step(m.id, lifted.id, { action: OrderAction.Issue }, t(3));
    await step(m.id, lifted.id, { action: OrderAction.Lift }, t(4));
    const five = await draft(m.id, {
      hazard: Hazard.Landslide,
      level: EvacuationLevel.EvacuationInstruction,
      codes: ['A2'],
    });
    await step(m.id, five.id, { action: OrderAction.Issue }, t(5));
    await step(
      m.id,
      five.id,
      { action: OrderAction.ChangeLevel, level: EvacuationLevel.EmergencySafety },
      t(6),
    );

    const stored = await sut.inForceByDistrict(m.id);
    const expected = inForceByDistrict(
      await sut.listByStatus(m.id),
      await sut.municipalityDistrictCodes(m.id),
    );
    expect(stored.map(({ districtCode, level, orders }) => ({ districtCode, level, orders }))).toEqual(
      [...expected.values()].sort((x, y) => x.districtCode.localeCompare(y.districtCode)),
    );
    expect(stored.map((d) => [d.districtCode, d.level, d.orders.length, d.since])).toEqual([
      ['A1', 4, 2, t(1)],
      ['A2', 5, 3, t(1)],
      ['A3', 4, 1, t(2)],
    ]);
    expect(stored[1].orders.map((o) => o.orderId)).toEqual([five.id, whole.id, a.id]);
  });

  it('stores each step with its districts and history; a step from a stale version is a conflict', async () => {
    const m = await municipality();
    const order = await draft(m.id, {
      hazard: Hazard.Flood,
      level: EvacuationLevel.EvacuationInstruction,
      codes: ['A1'],
    });
    const at = new Date('2026-07-01T03:00:00Z');
    await step(m.id, order.id, { action: OrderAction.Issue }, at);
    const { districts } = await sut.districtsByCode(m.id, ['A2']);
    await step(m.id, order.id, { action: OrderAction.AddDistricts, districts }, at);

    const now = await sut.findById(m.id, order.id);
    expect(now).toMatchObject({
      status: OrderStatus.Issued,
      version: 3,
      source: OrderSource.Feed,
      issuedAt: at,
    });
    expect(now.districts.map((d) => [d.code, d.areaId])).toEqual([
      ['A1', m.areas.A1],
      ['A2', m.areas.A2],
    ]);
    const history = await sut.history(order.id);
    expect(history.map((h) => [h.version, h.action, h.messageKind, h.changedDistrictCodes])).toEqual([
      [2, OrderAction.Issue, OrderMessageKind.Issue, []],
      [3, OrderAction.AddDistricts, OrderMessageKind.Extend, ['A2']],
    ]);

    // two steps computed from the same version: the second is refused, nothing of it is stored
    const stale = applyOrderCommand(now, { action: OrderAction.Lift }, { actor, at });
    const other = applyOrderCommand(now, { action: OrderAction.Retract, reason: '誤り' }, { actor, at });
    await tx.run((em) => sut.saveStep(em, stale.order, stale.history, null));
    await expect(tx.run((em) => sut.saveStep(em, other.order, other.history, null))).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    expect(await sut.findById(m.id, order.id)).toMatchObject({ status: OrderStatus.Lifted, version: 4 });
    expect((await sut.history(order.id)).map((h) => h.action)).toEqual([
      OrderAction.Issue,
      OrderAction.AddDistricts,
      OrderAction.Lift,
    ]);
    expect(await sut.inForceByDistrict(m.id)).toEqual([]);
  });

  it('counts households and people per district from the roster, 0 where none live', async () => {
    const m = await municipality();
    const counts = await sut.counts(m.id, [m.areas.A1, m.areas.A2, m.areas.A3]);
    expect(Object.fromEntries(counts.map((c) => [c.areaId, [c.households, c.people]]))).toEqual({
      [m.areas.A1]: [2, 3],
      [m.areas.A2]: [1, 1],
      [m.areas.A3]: [0, 0],
    });
  });

  it('districtsByCode names the codes the municipality has no district for', async () => {
    const m = await municipality();
    const found = await sut.districtsByCode(m.id, ['A2', 'ZZ', 'A1']);
    expect(found.districts.map((d) => d.code)).toEqual(['A2', 'A1']);
    expect(found.missing).toEqual(['ZZ']);
  });
});
