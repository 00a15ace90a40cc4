import { Role } from '@bousai/domain';
import { ReceiverSimulator, type ReceiverCredentials } from '@bousai/testing';
import {
  alertOf,
  approveAndSend,
  countBy,
  dataOf,
  deliveryViews,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from './support/fanout-stack';

// the api, the fanout and the fake FCM share this process and a busy CI box; nothing here asserts on time
jest.setTimeout(90_000);

const TEXTS = {
  ja: { title: '避難指示', body: '荒島地区・島田地区に避難指示。直ちに避難してください。' },
  en: { title: 'Evacuation order', body: 'Arashima and Shimada: evacuate now.' },
  vi: { title: 'Lệnh sơ tán', body: 'Arashima và Shimada: hãy sơ tán ngay.' },
};

describe('fan-out end to end: operator creates, approver approves, residents are reached', () => {
  let sut: Stack;
  let sim: ReceiverSimulator | undefined;

  beforeAll(async () => {
    // every receiver here answers at once; a shorter ack window only bounds how long socket.io's ack timers
    // (which outlive the answer) keep this process alive after the file
    sut = await startStack({ fanout: { RECEIVER_ACK_TIMEOUT_MS: '3000' } });
  });
  afterAll(async () => {
    sim?.close();
    await sut.close();
  });

  /** The registration token (endpoint address) of an FCM endpoint. */
  async function tokenOf(endpointId: string): Promise<string> {
    const [row] = await sut.api.db.dataSource.query<{ address: string }[]>(
      `SELECT address FROM endpoint WHERE id = $1`,
      [endpointId],
    );
    return row.address;
  }

  /** A resident of a household in `areaId` with one app token per entry of `tokens`; resolves to the tokens. */
  async function resident(
    m: string,
    areaId: string,
    language: string,
    o: { tokens?: number; consent?: boolean } = {},
  ): Promise<string[]> {
    const householdId = await sut.seed.household(m, areaId);
    const r = await sut.seed.resident(m, {
      householdId,
      language,
      ...(o.consent === false ? { consentScopes: [] } : {}),
    });
    const tokens: string[] = [];
    for (let i = 0; i < (o.tokens ?? 1); i++) tokens.push(await tokenOf(await sut.seed.fcm(m, r)));
    return tokens;
  }

  /** A household receiver provisioned through the api, as an operator does it. */
  async function receiver(m: string, areaId: string): Promise<ReceiverCredentials & { id: string }> {
    const householdId = await sut.seed.household(m, areaId);
    const res = await sut.api.http
      .post(`/v1/municipalities/${m}/receivers`)
      .set(...(await sut.auth(Role.Operator)))
      .send({ householdId });
    expect(res.status).toBe(201);
    return res.body as ReceiverCredentials & { id: string };
  }

  it('sends each targeted token exactly once in its language, marks dead tokens, and the counters agree', async () => {
    const [yasugi, matsue] = sut.api.tenants;
    const m = yasugi.municipalityId;
    const [arashima, shimada, hirose] = [
      await sut.seed.area(m),
      await sut.seed.area(m),
      await sut.seed.area(m),
    ];

    // expected language of the text each targeted token must get
    const expected = new Map<string, keyof typeof TEXTS>();
    const expect1 = (lang: keyof typeof TEXTS, tokens: string[]) =>
      tokens.forEach((t) => expected.set(t, lang));
    for (let i = 0; i < 5; i++) expect1('ja', await resident(m, arashima, 'ja'));
    for (let i = 0; i < 3; i++) expect1('en', await resident(m, arashima, 'en'));
    expect1('vi', await resident(m, shimada, 'vi', { tokens: 2 }));
    expect1('vi', await resident(m, shimada, 'vi'));
    // no Portuguese text: English, the first fallback of every non-Japanese reader (languageFallbackChain)
    expect1('en', await resident(m, shimada, 'pt'));
    const [uninstalled] = await resident(m, arashima, 'en');
    expect1('en', [uninstalled]);
    sut.fcm.server.setBehaviour(uninstalled, { kind: 'unregistered' });

    // not targeted: another area of the same town, another town, a resident who did not consent, a dead token
    const untargeted = [
      ...(await resident(m, hirose, 'ja')),
      ...(await resident(m, hirose, 'en')),
      ...(await resident(m, arashima, 'ja', { consent: false })),
      ...(await resident(matsue.municipalityId, await sut.seed.area(matsue.municipalityId), 'ja')),
    ];
    const deadHousehold = await sut.seed.household(m, arashima);
    const deadResident = await sut.seed.resident(m, { householdId: deadHousehold });
    untargeted.push(await tokenOf(await sut.seed.fcm(m, deadResident, 'dead')));

    const rxTargeted = [await receiver(m, arashima), await receiver(m, shimada)];
    const rxElsewhere = await receiver(m, hirose);
    sim = await ReceiverSimulator.start({ url: sut.url, devices: [...rxTargeted, rxElsewhere] });

    const alertId = await submitted(sut, {
      texts: TEXTS,
      targeting: { areaIds: [arashima, shimada] },
      channels: ['receiver', 'fcm'],
    });
    // nothing leaves before the second person approves
    expect(sut.fcm.server.received).toHaveLength(0);
    await approveAndSend(sut, alertId);
    await waitForAlert(sut, alertId, 'sent');

    // FCM: exactly the targeted tokens, once each, each in its language
    const got = sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId);
    expect(countBy(got, (r) => r.token)).toEqual(Object.fromEntries([...expected.keys()].map((t) => [t, 1])));
    for (const r of got) {
      const lang = expected.get(r.token)!;
      expect(dataOf(r)).toMatchObject({ language: lang, ...TEXTS[lang] });
      expect(r.message.notification).toEqual(TEXTS[lang]);
    }
    for (const t of untargeted) expect(sut.fcm.server.receivedFor(t)).toEqual([]);

    // receivers: the two households in the targeted areas, in Japanese; not the one elsewhere
    await sim.waitUntil(() => rxTargeted.every((c) => sim!.device(c.serial).received.length === 1));
    for (const c of rxTargeted) {
      expect(sim.device(c.serial).received[0]).toMatchObject({ alertId, language: 'ja', ...TEXTS.ja });
    }
    expect(sim.device(rxElsewhere.serial).received).toEqual([]);

    // the uninstalled app: failed with FCM's code, its endpoint dead; everything else sent (or delivered)
    const rows = await deliveryViews(sut, alertId);
    const byAddress = new Map(rows.map((r) => [r.address, r]));
    expect(byAddress.get(uninstalled)).toMatchObject({
      status: 'failed',
      errorCode: 'UNREGISTERED',
      endpointStatus: 'dead',
    });
    expect(rows.filter((r) => r.channel === 'fcm' && r.address !== uninstalled).map((r) => r.status)).toEqual(
      Array(expected.size - 1).fill('sent'),
    );
    expect(
      rows
        .filter((r) => r.channel === 'receiver')
        .map((r) => r.endpointId)
        .sort(),
    ).toEqual(rxTargeted.map((c) => c.id).sort());

    // the alert's counters, as the api shows them, agree with the rows
    const alert = await alertOf(sut, alertId);
    expect(alert.counters.planned).toEqual(countBy(rows, (r) => r.channel));
    expect(alert.counters.fanout).toEqual({ queued: rows.filter((r) => r.status === 'queued').length });
    expect(alert.counters.fanout.queued).toBe(0);
    expect(countBy(rows, (r) => `${r.channel}:${r.status}`)).toEqual({
      'fcm:sent': expected.size - 1,
      'fcm:failed': 1,
      'receiver:delivered': 2,
    });
    expect(sut.fcm.server.stats().duplicates).toBe(0);
  });
});
