import { createTestDatabase, type TestDatabase } from '@bousai/testing';

/** Households, residents and endpoints get UUIDv7 ids (migration 1795570000000-time-ordered-ids). */
describe('time-ordered ids (uuid_v7)', () => {
  let db: TestDatabase;
  const q = <T = Record<string, unknown>[]>(sql: string, params: unknown[] = []) =>
    db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** The Unix milliseconds in the first 48 bits of a UUIDv7. */
  const millisOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

  it('makes RFC 9562 version 7 ids carrying the current time in milliseconds', async () => {
    const before = Date.now();
    const rows = await q<{ id: string }[]>(`SELECT uuid_v7()::text AS id FROM generate_series(1, 200)`);
    const after = Date.now();
    for (const { id } of rows) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(millisOf(id)).toBeGreaterThanOrEqual(before - 1000); // the database's clock may be a little off ours
      expect(millisOf(id)).toBeLessThanOrEqual(after + 1000);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('orders ids by creation time: rows inserted one after the other come out ascending', async () => {
    const [{ id: municipalityId }] = await q<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('999007', 'テスト町') RETURNING id`,
    );
    const households: string[] = [];
    for (let i = 0; i < 30; i++) {
      const [{ id }] = await q<{ id: string }[]>(
        `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, $2, '住所') RETURNING id::text`,
        [municipalityId, `H-${i}`],
      );
      households.push(id);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([...households].sort()).toEqual(households);

    // a set-based insert numbers its rows with the clock's microseconds: in insertion order, ids ascend
    // except within one microsecond tick, so the rows sort (nearly) as they were written
    const endpoints = await q<{ id: string; n: number }[]>(
      `INSERT INTO endpoint (municipality_id, household_id, channel, address)
       SELECT $1, $2, 'fcm', 'token-' || g FROM generate_series(1, 2000) g RETURNING id::text, address`,
      [municipalityId, households[0]],
    );
    const ids = endpoints.map((e) => e.id);
    for (const id of ids) expect(id[14]).toBe('7');
    const inversions = ids.filter((id, i) => i > 0 && id < ids[i - 1]).length;
    expect(inversions).toBeLessThan(ids.length / 4);
    const resident = await q<{ id: string }[]>(
      `INSERT INTO resident (municipality_id, external_id, household_id, name) VALUES ($1, 'R-1', $2, '安来 太郎')
       RETURNING id::text`,
      [municipalityId, households[0]],
    );
    expect(resident[0].id[14]).toBe('7');
  });
});
