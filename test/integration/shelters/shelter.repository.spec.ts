import { randomInt } from 'node:crypto';
import {
  admitCheckIn,
  Crowding,
  ErrorCode,
  openShelter,
  type ShelterRow,
  ShelterHazard,
  ShelterKind,
  ShelterStatus,
} from '@bousai/domain';
import {
  CheckInBy,
  ShelterRepository,
  type ShelterState,
  shelterStateOf,
  TransactionRunner,
} from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

describe(ShelterRepository.name, () => {
  let db: TestDatabase;
  let sut: ShelterRepository;

  const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
    db.dataSource.query<T[]>(sql, params);

  /** Each test has its own municipality, with districts 中央 (A1) and 北 (A2). */
  async function municipality(): Promise<{ id: string; areas: Record<string, string> }> {
    const [m] = await q<{ id: string }>(
      `INSERT INTO municipality (code, name) VALUES ($1, 'テスト市') RETURNING id`,
      [String(randomInt(100000, 999999))],
    );
    const rows = await q<{ id: string; name: string }>(
      `INSERT INTO area (municipality_id, code, name) VALUES ($1, 'A1', '中央'), ($1, 'A2', '北') RETURNING id, name`,
      [m.id],
    );
    return { id: m.id, areas: Object.fromEntries(rows.map((r) => [r.name, r.id])) };
  }

  const row = (o: Partial<ShelterRow> = {}): ShelterRow => ({
    line: 2,
    externalId: 'E1',
    kind: ShelterKind.EmergencySite,
    name: '中央小学校',
    nameKana: null,
    address: null,
    latitude: 35.4,
    longitude: 133.2,
    capacity: 10,
    hazards: [ShelterHazard.Flood],
    districts: ['中央'],
    ...o,
  });

  let tx: TransactionRunner;

  /** What the application layer does with the repository: lock, compute with the domain, store. */
  const change = (mid: string, id: string, next: (s: ShelterState) => ShelterState) =>
    tx.run(async (em) => {
      const current = await sut.lockForUpdate(em, mid, id);
      if (!current) throw new Error('no such shelter');
      await sut.saveState(em, id, next(shelterStateOf(current)), null);
    });
  const checkIn = (mid: string, id: string, name: string) =>
    tx.run(async (em) => {
      const current = await sut.lockForUpdate(em, mid, id);
      if (!current) throw new Error('no such shelter');
      const next = admitCheckIn(shelterStateOf(current), 1, current.capacity);
      await sut.insertCheckIn(em, mid, id, { name, people: 1 }, 1, {
        checkedInBy: CheckInBy.Staff,
        operatorId: null,
      });
      await sut.saveState(em, id, next, null);
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = new ShelterRepository(db.dataSource);
    tx = new TransactionRunner(db.dataSource);
  });
  afterAll(() => db.drop());

  it('a re-import rewrites the districts and updates in place, leaving the status alone', async () => {
    const m = await municipality();
    expect(await sut.importRows(m.id, [row()])).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
    const [shelter] = await sut.list(m.id);
    expect(shelter.areaIds).toEqual([m.areas['中央']]);
    await change(m.id, shelter.id, (s) => ({ ...s, ...openShelter(s, new Date()) }));

    const again = await sut.importRows(m.id, [
      row({ name: '中央小学校 体育館', districts: ['北', 'A1', '無い町'] }),
    ]);
    expect(again).toMatchObject({
      inserted: 0,
      updated: 1,
      unmatchedDistricts: [{ line: 2, districts: ['無い町'] }],
    });
    const after = await sut.get(m.id, shelter.id);
    expect(after).toMatchObject({ name: '中央小学校 体育館', status: ShelterStatus.Open });
    expect([...after.areaIds].sort()).toEqual([m.areas['中央'], m.areas['北']].sort());
    expect(
      await sut.importRows(m.id, [row({ name: '中央小学校 体育館', districts: ['北', 'A1', '無い町'] })]),
    ).toMatchObject({ unchanged: 1 });
  });

  it('check-ins from many desks at once (each on the locked row) are all counted, and the level follows the last count', async () => {
    const m = await municipality();
    await sut.importRows(m.id, [row()]);
    const [{ id }] = await sut.list(m.id);
    await change(m.id, id, (s) => ({ ...s, ...openShelter(s, new Date()) }));

    await Promise.all(Array.from({ length: 8 }, (_, i) => checkIn(m.id, id, `避難者${i}`)));
    expect(await sut.get(m.id, id)).toMatchObject({ headCount: 8, crowding: Crowding.Full });
    expect(await sut.checkIns(m.id, id)).toHaveLength(8);
  });

  it('two operators opening at once: one opens, the other is refused', async () => {
    const m = await municipality();
    await sut.importRows(m.id, [row()]);
    const [{ id }] = await sut.list(m.id);
    const results = await Promise.allSettled(
      [1, 2].map(() => change(m.id, id, (s) => ({ ...s, ...openShelter(s, new Date()) }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: expect.objectContaining({ code: ErrorCode.IllegalTransition }),
    });
  });
});
