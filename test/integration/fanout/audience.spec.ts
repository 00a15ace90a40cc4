import type { Targeting } from '@bousai/domain';
import { PlanAlertUseCase } from '../../../apps/fanout/src/plan/plan-alert.use-case';
import { deliveries, type FanoutHarness, startFanout, waitForStatus } from './support/fanout-harness';

// real Postgres, Redis and BullMQ: allow more than jest's default 5 s per test and hook
jest.setTimeout(30_000);

/**
 * A small town: two districts with their JMA codes, households with residents (one 要援護者, one staff member,
 * one English speaker, one who withdrew consent), app endpoints and household receivers; plus a neighbouring
 * municipality with the same JMA codes that must never be reached.
 */
describe(`${PlanAlertUseCase.name}: audience`, () => {
  let sut: FanoutHarness;
  let planner: PlanAlertUseCase;
  let m: string;
  const ep: Record<string, string> = {};
  const hh: Record<string, string> = {};
  const area: Record<string, string> = {};

  beforeAll(async () => {
    sut = await startFanout();
    planner = sut.app.get(PlanAlertUseCase);
    const s = sut.seed;
    m = await s.municipality();
    area.north = await s.area(m, {
      jmaCityCode: '3220600',
      jmaQuakeAreaCode: '581',
      jmaTsunamiAreaCode: '400',
      jmaEewAreaCode: '9581',
    });
    area.south = await s.area(m, {
      jmaCityCode: '3220600',
      jmaQuakeAreaCode: '582',
      jmaTsunamiAreaCode: '401',
      jmaEewAreaCode: '9582',
    });
    hh.north1 = await s.household(m, area.north);
    hh.north2 = await s.household(m, area.north);
    hh.south1 = await s.household(m, area.south);
    hh.nowhere = await s.household(m, null);

    const north1Needs = await s.resident(m, { householdId: hh.north1, needsAssistance: true });
    const north1Other = await s.resident(m, { householdId: hh.north1, language: 'en' });
    const north2Staff = await s.resident(m, { householdId: hh.north2, staff: true });
    const south1 = await s.resident(m, { householdId: hh.south1, language: 'ko' });
    const south1NoConsent = await s.resident(m, { householdId: hh.south1, consentScopes: ['safety'] });
    const homeless = await s.resident(m, { householdId: null, staff: true });
    const dead = await s.resident(m, { householdId: hh.south1 });

    ep.north1Needs = await s.fcm(m, north1Needs);
    ep.north1Other = await s.fcm(m, north1Other);
    ep.north2Staff = await s.fcm(m, north2Staff);
    ep.south1 = await s.fcm(m, south1);
    ep.south1NoConsent = await s.fcm(m, south1NoConsent);
    ep.homeless = await s.fcm(m, homeless);
    ep.dead = await s.fcm(m, dead, 'dead');
    ep.rxNorth1 = await s.receiver(m, hh.north1);
    ep.rxSouth1 = await s.receiver(m, hh.south1);
    ep.rxNowhere = await s.receiver(m, hh.nowhere);

    const other = await s.municipality();
    const otherArea = await s.area(other, { jmaCityCode: '3220600', jmaQuakeAreaCode: '581' });
    const otherHh = await s.household(other, otherArea);
    ep.otherTown = await s.fcm(other, await s.resident(other, { householdId: otherHh }));
    ep.otherRx = await s.receiver(other, otherHh);
  });
  afterAll(async () => {
    await sut.close();
  });

  async function audience(targeting: Targeting): Promise<string[]> {
    const alertId = await sut.seed.alert(m, { targeting, outbox: false });
    await planner.execute(alertId);
    const rows = await deliveries(sut.db, alertId);
    const names = Object.fromEntries(Object.entries(ep).map(([k, v]) => [v, k]));
    return rows.map((r) => names[r.endpointId]).sort();
  }

  it('all: every active, consenting endpoint of the municipality, and nothing of another', async () => {
    expect(await audience({ all: true })).toEqual(
      [
        'north1Needs',
        'north1Other',
        'north2Staff',
        'south1',
        'homeless',
        'rxNorth1',
        'rxSouth1',
        'rxNowhere',
      ].sort(),
    );
  });

  it('areas: residents through their household, receivers through theirs', async () => {
    expect(await audience({ areaIds: [area.north] })).toEqual(
      ['north1Needs', 'north1Other', 'north2Staff', 'rxNorth1'].sort(),
    );
  });

  it.each([
    [
      '市町村等 (shared by both districts)',
      '3220600',
      ['north1Needs', 'north1Other', 'north2Staff', 'rxNorth1', 'south1', 'rxSouth1'],
    ],
    ['地震 細分区域', '582', ['south1', 'rxSouth1']],
    ['津波予報区', '400', ['north1Needs', 'north1Other', 'north2Staff', 'rxNorth1']],
    ['EEW 細分区域', '9582', ['south1', 'rxSouth1']],
  ])('JMA codes: %s', async (_system, code, expected) => {
    expect(await audience({ jmaCodes: [code] })).toEqual([...expected].sort());
  });

  it('groups: 要援護者 anywhere, and the receivers of their households', async () => {
    expect(await audience({ groups: ['needs_assistance'] })).toEqual(['north1Needs', 'rxNorth1'].sort());
  });

  it('groups narrow places: staff in the north only', async () => {
    expect(await audience({ areaIds: [area.north], groups: ['staff'] })).toEqual(['north2Staff']);
    expect(await audience({ groups: ['staff'] })).toEqual(['homeless', 'north2Staff']);
  });

  it('households: the endpoints of those households, places add up', async () => {
    expect(await audience({ householdIds: [hh.south1] })).toEqual(['rxSouth1', 'south1']);
    expect(await audience({ householdIds: [hh.nowhere], jmaCodes: ['582'] })).toEqual(
      ['rxNowhere', 'rxSouth1', 'south1'].sort(),
    );
  });

  it('targeting that names nobody plans nothing', async () => {
    expect(await audience({})).toEqual([]);
  });

  it('takes the delivery language from the resident, else ja', async () => {
    const alertId = await sut.seed.alert(m, {
      targeting: { householdIds: [hh.north1, hh.south1] },
      outbox: false,
    });
    await planner.execute(alertId);
    const byEndpoint = Object.fromEntries(
      (await deliveries(sut.db, alertId)).map((r) => [r.endpointId, r.language]),
    );
    expect(byEndpoint).toEqual({
      [ep.north1Needs]: 'ja',
      [ep.north1Other]: 'en',
      [ep.south1]: 'ko',
      [ep.rxNorth1]: 'ja',
      [ep.rxSouth1]: 'ja',
    });
  });

  it('plans one delivery per endpoint however often the plan runs', async () => {
    sut.adapters.fcm.hold();
    sut.adapters.receiver.hold();
    try {
      const alertId = await sut.seed.alert(m, { targeting: { all: true }, outbox: false });
      // the rows, not their progress: the first batches may be claimed meanwhile
      const planned = async () =>
        (await deliveries(sut.db, alertId)).map((r) => [r.id, r.endpointId, r.channel, r.batchNo]);
      await planner.execute(alertId);
      const first = await planned();
      await Promise.all([planner.execute(alertId), planner.execute(alertId)]);
      const after = await planned();
      expect(after).toEqual(first);
      expect(after).toHaveLength(8);
      sut.adapters.fcm.release();
      sut.adapters.receiver.release();
      await waitForStatus(sut.db, alertId, 'sent');
      const sent = [...sut.adapters.fcm.sentEndpointIds((c) => c.message.alertId === alertId)];
      expect(sent.length).toBe(new Set(sent).size);
    } finally {
      sut.adapters.fcm.release();
      sut.adapters.receiver.release();
    }
  });
});
