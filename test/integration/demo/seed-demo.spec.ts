import * as argon2 from 'argon2';
import {
  Channel,
  parseEmail,
  parseFcmToken,
  parseLineUserId,
  parseWebPushSubscription,
} from '@bousai/domain';
import { OperatorRepository, RosterRepository, TransactionRunner } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';
import { NEEDS_ASSISTANCE_RATE, STAFF_RATE } from '../../../apps/cli/src/demo/demo-roster.generator';
import { type DemoStores, seedDemo } from '../../../apps/cli/src/demo/demo-seed.use-case';

/** The generic stores the CLI's demo use case writes through. */
const storesOf = (db: TestDatabase): DemoStores => ({
  tx: new TransactionRunner(db.dataSource),
  roster: new RosterRepository(db.dataSource),
  operators: new OperatorRepository(db.dataSource),
});

describe(seedDemo.name, () => {
  let db: TestDatabase;
  let sut: DemoStores;
  const scale = { households: 500, residents: 1300, seed: 7 };
  const q = <T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> =>
    db.dataSource.query(sql, params);
  const count = async (sql: string, params?: unknown[]): Promise<number> =>
    Number((await q<{ n: string }>(sql, params))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = storesOf(db);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates 安来市 with its JMA codes, its districts and a roster of the requested size', async () => {
    const report = await seedDemo(sut, scale);

    expect(report.result.municipalityCreated).toBe(true);
    const [m] = await q(`SELECT * FROM municipality WHERE code = '322067'`);
    expect(m).toMatchObject({
      id: report.result.municipalityId,
      name: '安来市',
      jma_city_codes: ['3220600'],
      jma_quake_area_codes: ['570'],
      jma_eew_area_codes: ['570'],
      jma_tsunami_area_codes: ['550'],
    });

    const areas = await q<{ name: string; jma_city_code: string; jma_quake_area_code: string }>(
      `SELECT * FROM area WHERE municipality_id = $1 ORDER BY code`,
      [m.id],
    );
    expect(areas.length).toBeGreaterThanOrEqual(10);
    expect(areas.every((a) => a.jma_city_code === '3220600' && a.jma_quake_area_code === '570')).toBe(true);
    const tsunami = Object.fromEntries(
      (
        await q<{ name: string; jma_tsunami_area_code: string | null; jma_eew_area_code: string }>(
          `SELECT name, jma_tsunami_area_code, jma_eew_area_code FROM area WHERE municipality_id = $1`,
          [m.id],
        )
      ).map((a) => [a.name, a.jma_tsunami_area_code]),
    );
    expect(tsunami).toMatchObject({ 安来: '550', 荒島: '550', 広瀬: null, 比田: null, 布部: null });

    expect(await count(`SELECT count(*) AS n FROM household WHERE municipality_id = $1`, [m.id])).toBe(500);
    expect(await count(`SELECT count(*) AS n FROM resident WHERE municipality_id = $1`, [m.id])).toBe(1300);
    expect(await count(`SELECT count(*) AS n FROM household WHERE area_id IS NULL`)).toBe(0);
  });

  it('gives each 要援護者 one receiver on the household and two supporters; staff are proportional', async () => {
    const needsAssistance = await count(`SELECT count(*) AS n FROM resident WHERE needs_assistance`);
    expect(needsAssistance).toBe(Math.round(scale.residents * NEEDS_ASSISTANCE_RATE));
    expect(await count(`SELECT count(*) AS n FROM resident WHERE staff`)).toBe(
      Math.round(scale.residents * STAFF_RATE),
    );

    const perPerson = await q<{ receivers: string; priorities: number[]; relations: string[] }>(
      `SELECT (SELECT count(*) FROM endpoint e
                WHERE e.household_id = r.household_id AND e.channel = 'receiver' AND e.status = 'active') AS receivers,
              (SELECT array_agg(s.priority ORDER BY s.priority) FROM supporter s WHERE s.resident_id = r.id) AS priorities,
              (SELECT array_agg(s.relation) FROM supporter s WHERE s.resident_id = r.id) AS relations
         FROM resident r WHERE r.needs_assistance`,
    );
    expect(perPerson).toHaveLength(needsAssistance);
    for (const p of perPerson) {
      expect(Number(p.receivers)).toBe(1);
      expect(p.priorities).toEqual([1, 2]);
    }
    const relations = new Set(perPerson.flatMap((p) => p.relations));
    expect([...relations].sort()).toEqual(['family', 'neighbour', 'welfare_commissioner']);
    // supporters only for 要援護者, receivers only where one lives
    expect(
      await count(
        `SELECT count(*) AS n FROM supporter s JOIN resident r ON r.id = s.resident_id WHERE NOT r.needs_assistance`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) AS n FROM endpoint e WHERE e.channel = 'receiver' AND (e.secret_hash NOT LIKE 'sha256:%'
           OR NOT EXISTS (SELECT 1 FROM resident r WHERE r.household_id = e.household_id AND r.needs_assistance))`,
      ),
    ).toBe(0);
  });

  it('writes only endpoints the domain validators accept', async () => {
    const endpoints = await q<{ channel: Channel; address: string; subscription: unknown }>(
      `SELECT channel, address, subscription FROM endpoint`,
    );
    expect(new Set(endpoints.map((e) => e.channel))).toEqual(new Set(Object.values(Channel)));
    for (const e of endpoints) {
      switch (e.channel) {
        case Channel.Fcm:
          expect(parseFcmToken(e.address).address).toBe(e.address);
          break;
        case Channel.WebPush:
          expect(parseWebPushSubscription({ endpoint: e.address, keys: e.subscription }).address).toBe(
            e.address,
          );
          break;
        case Channel.Email:
          expect(parseEmail(e.address).address).toBe(e.address);
          break;
        case Channel.Line:
          expect(parseLineUserId(e.address).address).toBe(e.address);
          break;
        case Channel.Receiver:
          expect(e.address).toMatch(/^YSG-RX-\d{6}$/);
          break;
      }
    }
  });

  it('creates the four demo operators with the password it reports once', async () => {
    const ops = await q<{ email: string; role: string; password_hash: string }>(
      `SELECT email, role, password_hash FROM operator ORDER BY email`,
    );
    expect(ops.map((o) => [o.email, o.role])).toEqual([
      ['admin@yasugi.example', 'admin'],
      ['approver@yasugi.example', 'approver'],
      ['operator@yasugi.example', 'operator'],
      ['viewer@yasugi.example', 'viewer'],
    ]);
    expect(ops.every((o) => o.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('replaces the roster when re-run instead of duplicating it, and keeps operators and area ids', async () => {
    const areaIds = await q(`SELECT id, code FROM area ORDER BY code`);
    const hashes = await q(`SELECT email, password_hash FROM operator ORDER BY email`);

    const again = await seedDemo(sut, scale);

    expect(again.result.municipalityCreated).toBe(false);
    expect(again.result.removed).toEqual(again.result.inserted);
    expect(again.result.operators.kept).toHaveLength(4);
    expect(again.generatedOperatorPassword).toBeUndefined();
    expect(await count(`SELECT count(*) AS n FROM municipality`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM resident`)).toBe(1300);
    expect(await count(`SELECT count(*) AS n FROM household`)).toBe(500);
    expect(await count(`SELECT count(*) AS n FROM endpoint`)).toBe(again.result.inserted.endpoints);
    expect(await count(`SELECT count(*) AS n FROM supporter`)).toBe(again.result.inserted.supporters);
    expect(await q(`SELECT id, code FROM area ORDER BY code`)).toEqual(areaIds);
    expect(await q(`SELECT email, password_hash FROM operator ORDER BY email`)).toEqual(hashes);
  });

  it('re-seeds at another scale and resets operator passwords when one is configured', async () => {
    const password = 'demo-password-for-tests';
    const report = await seedDemo(sut, {
      households: 200,
      residents: 450,
      seed: 8,
      operatorPassword: password,
    });

    expect(report.result.inserted).toMatchObject({ households: 200, residents: 450 });
    expect(report.result.operators.reset).toHaveLength(4);
    expect(report.generatedOperatorPassword).toBeUndefined();
    expect(await count(`SELECT count(*) AS n FROM resident`)).toBe(450);
    const [admin] = await q<{ password_hash: string }>(
      `SELECT password_hash FROM operator WHERE email = 'admin@yasugi.example'`,
    );
    expect(await argon2.verify(admin.password_hash, password)).toBe(true);
  });
});

describe(`${seedDemo.name} on an empty database`, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reports a generated operator password exactly when it created the operators with it', async () => {
    const report = await seedDemo(storesOf(db), {
      households: 20,
      residents: 40,
      seed: 1,
    });
    expect(report.result.operators.created).toHaveLength(4);
    expect(report.generatedOperatorPassword).toEqual(expect.any(String));
    const [admin] = await db.dataSource.query<{ password_hash: string }[]>(
      `SELECT password_hash FROM operator WHERE email = 'admin@yasugi.example'`,
    );
    expect(await argon2.verify(admin.password_hash, report.generatedOperatorPassword!)).toBe(true);
  });
});
