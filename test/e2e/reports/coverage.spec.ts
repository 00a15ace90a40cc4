import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

describe('coverage KPI: households with a working means', () => {
  let sut: ApiHarness;
  let base: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    sut = await startApi();
    const mid = sut.tenants[0].municipalityId;
    base = `/v1/municipalities/${mid}/coverage`;
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    const [{ id: north }] = await q(
      `INSERT INTO area (municipality_id, code, name) VALUES ($1, '01', '北') RETURNING id`,
      [mid],
    );
    const [{ id: south }] = await q(
      `INSERT INTO area (municipality_id, code, name) VALUES ($1, '02', '南') RETURNING id`,
      [mid],
    );
    const household = async (key: string, areaId: string) => {
      const [{ id }] = await q(
        `INSERT INTO household (municipality_id, external_id, area_id, address) VALUES ($1, $2, $3, '住所') RETURNING id`,
        [mid, key, areaId],
      );
      ids[key] = id;
      return id as string;
    };
    const resident = async (householdId: string, needsAssistance = false) =>
      (
        await q(
          `INSERT INTO resident (municipality_id, external_id, household_id, name, needs_assistance)
           VALUES ($1, gen_random_uuid()::text, $2, '住民', $3) RETURNING id`,
          [mid, householdId, needsAssistance],
        )
      )[0].id as string;
    const [{ id: alertId }] = await q(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status)
       VALUES ($1, 'operator', '{}', 'minor', '{"all": true}', '{fcm,receiver}', 'sent') RETURNING id`,
      [mid],
    );
    const fcm = async (residentId: string, proved: 'recent' | 'old' | 'never') => {
      const [{ id }] = await q(
        `INSERT INTO endpoint (municipality_id, resident_id, channel, address) VALUES ($1, $2, 'fcm', gen_random_uuid()::text)
         RETURNING id`,
        [mid, residentId],
      );
      if (proved !== 'never') {
        await q(
          `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, status, delivered_at)
           VALUES ($1, $2, 'fcm', 0, 'delivered', now() - $3::interval)`,
          [alertId, id, proved === 'recent' ? '2 days' : '60 days'],
        );
      }
    };
    // north: a receiver that sent a heartbeat yesterday; an app that acknowledged two days ago; an app that has
    // never acknowledged anything, in a 要援護者's household. south: an ack two months ago; nothing at all.
    const rxHome = await household('N-RX', north);
    await q(
      `INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash, last_seen_at)
       VALUES ($1, $2, 'receiver', 'RX-1', 'sha256:x', now() - interval '1 day')`,
      [mid, rxHome],
    );
    await fcm(await resident(await household('N-APP', north)), 'recent');
    await fcm(await resident(await household('N-SILENT', north), true), 'never');
    await fcm(await resident(await household('S-OLD', south)), 'old');
    await resident(await household('S-NONE', south));
  });
  afterAll(() => sut.close());

  const get = async (path: string, query: Record<string, unknown> = {}) =>
    sut.http
      .get(path)
      .query(query)
      .set('Authorization', `Bearer ${await sut.token(sut.tenants[0], Role.Viewer)}`);

  it('counts households covered per district, within the window asked for', async () => {
    const res = await get(base);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 30, households: 5, covered: 2, rate: 0.4 });
    expect(
      res.body.areas.map((a: { areaName: string; households: number; covered: number }) => [
        a.areaName,
        a.households,
        a.covered,
      ]),
    ).toEqual([
      ['北', 3, 2],
      ['南', 2, 0],
    ]);
    const wider = await get(base, { days: 90 });
    expect(wider.body).toMatchObject({ covered: 3 });
  });

  it('lists the households with no working means, 要援護者 marked', async () => {
    const res = await get(`${base}/uncovered`);
    expect(res.status).toBe(200);
    const byId = new Map(
      (res.body.items as { householdId: string; endpoints: number; needsAssistance: boolean }[]).map((i) => [
        i.householdId,
        i,
      ]),
    );
    expect([...byId.keys()].sort()).toEqual([ids['N-SILENT'], ids['S-OLD'], ids['S-NONE']].sort());
    expect(byId.get(ids['N-SILENT'])).toMatchObject({ endpoints: 1, needsAssistance: true });
    expect(byId.get(ids['S-NONE'])).toMatchObject({ endpoints: 0, needsAssistance: false });

    const paged = await get(`${base}/uncovered`, { limit: 2 });
    const next = await get(`${base}/uncovered`, { limit: 2, cursor: paged.body.nextCursor });
    expect(
      [...paged.body.items, ...next.body.items].map((i: { householdId: string }) => i.householdId),
    ).toEqual([...byId.keys()].sort());
  });

  it('lists the 要援護者 households alone, or the others alone, so they can come first', async () => {
    const first = await get(`${base}/uncovered`, { needsAssistance: true });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { householdId: string }) => i.householdId)).toEqual([ids['N-SILENT']]);
    const rest = await get(`${base}/uncovered`, { needsAssistance: false });
    expect(rest.body.items.map((i: { householdId: string }) => i.householdId).sort()).toEqual(
      [ids['S-OLD'], ids['S-NONE']].sort(),
    );
    expect((await get(`${base}/uncovered`, { needsAssistance: 'maybe' })).status).toBe(400);
  });

  it('answers bad queries with a coded 400', async () => {
    const res = await get(base, { days: 0 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
