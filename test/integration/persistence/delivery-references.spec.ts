import { createTestDatabase, type TestDatabase } from '@bousai/testing';

/**
 * `delivery` → `alert` / `endpoint` are kept by statement-level triggers (migration
 * 1795560000000-delivery-statement-references): the same guarantees as the foreign keys they replaced.
 */
describe('delivery references (kept by statement triggers)', () => {
  let db: TestDatabase;
  let municipalityId: string;
  let householdId: string;
  const q = <T = Record<string, unknown>[]>(sql: string, params: unknown[] = []) =>
    db.dataSource.query<T>(sql, params);

  async function alert(): Promise<string> {
    const [{ id }] = await q<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status)
       VALUES ($1, 'operator', '{}', 'extreme', '{"all": true}', '{fcm}', 'dispatching') RETURNING id`,
      [municipalityId],
    );
    return id;
  }

  async function endpoints(n: number): Promise<string[]> {
    const rows = await q<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, household_id, channel, address)
       SELECT $1, $2, 'fcm', 'token-' || gen_random_uuid() FROM generate_series(1, $3::int) RETURNING id`,
      [municipalityId, householdId, n],
    );
    return rows.map((r) => r.id);
  }

  const plan = (alertId: string, endpointIds: readonly string[]) =>
    q(
      `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no)
       SELECT $1, e, 'fcm', 0 FROM unnest($2::uuid[]) e`,
      [alertId, endpointIds],
    );

  const deliveries = async (where: string, params: unknown[]) =>
    (await q<{ n: number }[]>(`SELECT count(*)::int AS n FROM delivery WHERE ${where}`, params))[0].n;

  beforeAll(async () => {
    db = await createTestDatabase();
    [{ id: municipalityId }] = await q<{ id: string }[]>(
      `INSERT INTO municipality (code, name) VALUES ('999002', 'テスト町') RETURNING id`,
    );
    [{ id: householdId }] = await q<{ id: string }[]>(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, 'H-1', '住所') RETURNING id`,
      [municipalityId],
    );
  });
  afterAll(() => db.drop());

  it('refuses a statement naming an alert or an endpoint that does not exist, as a foreign key would (23503)', async () => {
    const alertId = await alert();
    const real = await endpoints(3);
    const ghost = '00000000-0000-4000-8000-000000000001';

    await expect(plan(alertId, [...real, ghost])).rejects.toMatchObject({
      code: '23503',
      constraint: 'fk_delivery_endpoint',
    });
    await expect(plan(ghost, real)).rejects.toMatchObject({ code: '23503', constraint: 'fk_delivery_alert' });
    // the whole statement is refused, not just the bad row
    expect(await deliveries('alert_id = $1', [alertId])).toBe(0);

    await plan(alertId, real);
    expect(await deliveries('alert_id = $1', [alertId])).toBe(3);
    await expect(
      q(`UPDATE delivery SET endpoint_id = $2 WHERE alert_id = $1`, [alertId, ghost]),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(
      q(`UPDATE delivery SET alert_id = $2 WHERE alert_id = $1`, [alertId, await alert()]),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('deletes the deliveries of deleted endpoints and alerts (ON DELETE CASCADE)', async () => {
    const [a, b] = [await alert(), await alert()];
    const eps = await endpoints(4);
    await plan(a, eps);
    await plan(b, eps);

    await q(`DELETE FROM endpoint WHERE id = ANY ($1::uuid[])`, [eps.slice(0, 2)]);
    expect(await deliveries('endpoint_id = ANY ($1::uuid[])', [eps])).toBe(4);
    expect(await deliveries('endpoint_id = ANY ($1::uuid[])', [eps.slice(0, 2)])).toBe(0);

    await q(`DELETE FROM alert WHERE id = $1`, [a]);
    expect(await deliveries('alert_id = $1', [a])).toBe(0);
    expect(await deliveries('alert_id = $1', [b])).toBe(2);
  });

  it('makes a concurrent delete of an endpoint wait for the planning transaction, then removes its new deliveries', async () => {
    const alertId = await alert();
    const [endpointId] = await endpoints(1);
    const planner = db.dataSource.createQueryRunner();
    const deleter = db.dataSource.createQueryRunner();
    await planner.connect();
    await deleter.connect();
    try {
      await planner.startTransaction();
      await planner.query(
        `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) VALUES ($1, $2, 'fcm', 0)`,
        [alertId, endpointId],
      );
      let deleted = false;
      const deleting = deleter.query(`DELETE FROM endpoint WHERE id = $1`, [endpointId]).then(() => {
        deleted = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      // the planner's KEY SHARE lock holds the delete back, as a foreign key's would
      expect(deleted).toBe(false);
      await planner.commitTransaction();
      await deleting;
      expect(await deliveries('endpoint_id = $1', [endpointId])).toBe(0);
    } finally {
      await planner.release();
      await deleter.release();
    }
  });
});
