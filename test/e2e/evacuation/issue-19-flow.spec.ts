import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { XMLParser } from 'fast-xml-parser';
import { Role } from '@bousai/domain';
import { jmaFixture } from '../../integration/ingest/ingest-harness';
import { relayTelegram, startIngest } from '../support/ingest-relay';
import { dataOf, eventually, type Stack, startStack, waitForAlert } from '../fanout/support/fanout-stack';

// api, ingest, fanout and the fake FCM share this process; nothing here asserts on time
jest.setTimeout(120_000);

/**
 * VPWW57 (R06, 京都府 高潮): レベル４高潮危険警報 for 舞鶴市 2620200 (and 宮津市, 与謝野町), レベル３高潮警報 for
 * 京丹後市 2621200. The tenant's districts are mapped onto these 市町村等 codes for the test.
 */
const TELEGRAM = readFileSync(jmaFixture('weather/vpww57_kyoto_20200622_r06-storm-surge.xml'), 'utf8');
const MAIZURU = '2620200';
const KYOTANGO = '2621200';

/**
 * The real telegram as JMA's next report would word it when the warning for `code` goes down: its kind in the
 * body's 市町村等 item becomes `to` (with the higher kind as LastKind and the status of the change), the report is
 * 30 minutes later. Everything else is the real telegram's.
 */
function lowered(code: string, to: { name: string; code: string; status: string }): string {
  const body = TELEGRAM.indexOf('<Body');
  const at = TELEGRAM.indexOf(`<Code>${code}</Code>`, body);
  const start = TELEGRAM.lastIndexOf('<Item>', at);
  const item = TELEGRAM.slice(start, at).replace(
    /<Name>レベル４高潮危険警報<\/Name>\s*<Code>48<\/Code>\s*<Status>発表<\/Status>\s*<LastKind>[\s\S]*?<\/LastKind>/,
    `<Name>${to.name}</Name>\n<Code>${to.code}</Code>\n<Status>${to.status}</Status>\n` +
      '<LastKind>\n<Name>レベル４高潮危険警報</Name>\n<Code>48</Code>\n</LastKind>',
  );
  if (item === TELEGRAM.slice(start, at)) throw new Error(`no レベル４ kind for ${code}`);
  return (TELEGRAM.slice(0, start) + item + TELEGRAM.slice(at))
    .replace('<DateTime>2020-06-22T14:00:00Z</DateTime>', '<DateTime>2020-06-22T14:30:00Z</DateTime>')
    .replace(
      '<ReportDateTime>2020-06-22T23:00:00+09:00</ReportDateTime>',
      '<ReportDateTime>2020-06-22T23:30:00+09:00</ReportDateTime>',
    );
}

/** Digital Agency 指定緊急避難場所一覧 (made up, 架空): two 高潮 sites and an earthquake-only one. */
const SHELTERS_CSV = [
  '全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,名称_英字,所在地_全国地方公共団体コード,町字ID,' +
    '所在地_連結表記,所在地_都道府県,所在地_市区町村,所在地_町字,所在地_番地以下,建物名等(方書),緯度,経度,標高,' +
    '電話番号,内線番号,連絡先メールアドレス,連絡先FormURL,連絡先備考（その他、SNSなど）,郵便番号,災害種別_洪水,' +
    '災害種別_崖崩れ、土石流及び地滑り,災害種別_高潮,災害種別_地震,災害種別_津波,災害種別_大規模な火事,' +
    '災害種別_内水氾濫,災害種別_火山現象,指定避難所との重複,想定収容人数,対象となる町会・自治会,URL,画像,' +
    '画像_ライセンス,備考',
  '322067,S01,島根県安来市,浜の台中学校（架空）,ハマノダイチュウガッコウ,,322067,,島根県安来市浜1-1,島根県,' +
    '安来市,浜,1-1,,35.4301,133.2401,,0854-00-0001,,,,,692-0000,1,,1,1,,,,,1,100,浜;大波,,,,',
  '322067,S02,島根県安来市,浜グラウンド（架空）,ハマグラウンド,,322067,,島根県安来市浜2-2,島根県,安来市,浜,' +
    '2-2,,35.4302,133.2402,,0854-00-0002,,,,,692-0000,,,,1,,1,,,,300,浜,,,,',
  '322067,S03,島根県安来市,大波公民館（架空）,オオナミコウミンカン,,322067,,島根県安来市大波3-3,島根県,' +
    '安来市,大波,3-3,,35.4303,133.2403,,0854-00-0003,,,,,692-0000,,,1,1,,,,,1,50,大波,,,,',
].join('\r\n');

interface Order {
  id: string;
  status: string;
  level: number;
  hazard: string;
  source: string;
  version: number;
  districts: { code: string; households?: number; people?: number }[];
}
interface Step {
  order: Order;
  alerts: { id: string; status: string; templateKey: string }[];
}
type Texts = Record<string, { title: string; body: string }>;

describe('issue 19: a JMA レベル４危険警報 → 避難指示 draft → issued → shelters → lowered → lifted (and a 取消)', () => {
  let sut: Stack;
  let ingest: INestApplication;
  let base: string;
  const areas: Record<string, string> = {};
  /** FCM token → the language its resident reads, per district. */
  const tokens: Record<string, { token: string; language: string }[]> = {};
  let shelterIds: Record<string, string>;
  let issueAlertId: string;
  let flood4: Order;
  let surge3: Order;

  const as = async (role: Role) => sut.auth(role);

  beforeAll(async () => {
    sut = await startStack({ fanout: { RECEIVER_ACK_TIMEOUT_MS: '3000' } });
    const yasugi = sut.api.tenants[0];
    const m = yasugi.municipalityId;
    base = `/v1/municipalities/${m}`;
    ingest = await startIngest(sut.api.db.url, sut.prefix);

    // the town answers for the telegram's 舞鶴市 and 京丹後市 codes (besides its own)
    const admin = await as(Role.Admin);
    const patched = await sut.api.http
      .patch(base)
      .set(...admin)
      .send({ jmaCityCodes: ['3220600', MAIZURU, KYOTANGO] });
    expect(patched.status).toBe(200);
    for (const [code, name, jmaCityCode] of [
      ['A1', '浜', MAIZURU],
      ['A2', '大波', MAIZURU],
      ['B1', '加佐', KYOTANGO],
      ['C1', '山手', '3220600'],
    ]) {
      const res = await sut.api.http
        .post(`${base}/areas`)
        .set(...admin)
        .send({ code, name, jmaCityCode });
      expect(res.status).toBe(201);
      areas[code] = res.body.id as string;
    }
    // 浜: one household of a Japanese reader and a やさしい日本語 reader; 大波: one household of an English reader;
    // 加佐 and 山手: one Japanese reader each. Each resident has one app (FCM) token.
    for (const [code, languages] of [
      ['A1', ['ja', 'ja-easy']],
      ['A2', ['en']],
      ['B1', ['ja']],
      ['C1', ['ja']],
    ] as const) {
      const householdId = await sut.seed.household(m, areas[code]);
      tokens[code] = [];
      for (const language of languages) {
        const residentId = await sut.seed.resident(m, { householdId, language });
        const [{ address }] = await sut.api.db.dataSource.query<{ address: string }[]>(
          'SELECT address FROM endpoint WHERE id = $1',
          [await sut.seed.fcm(m, residentId)],
        );
        tokens[code].push({ token: address, language });
      }
    }
    const imported = await sut.api.http
      .post(`${base}/shelters/imports`)
      .set(...(await as(Role.Operator)))
      .attach('file', Buffer.from(`\ufeff${SHELTERS_CSV}\r\n`, 'utf8'), {
        filename: 'sites.csv',
        contentType: 'text/csv',
      });
    expect(imported.status).toBe(200);
    const list = await sut.api.http.get(`${base}/shelters`).set(...(await as(Role.Viewer)));
    shelterIds = Object.fromEntries(
      (list.body as { id: string; externalId: string }[]).map((s) => [s.externalId, s.id]),
    );
    expect(Object.keys(shelterIds).sort()).toEqual(['S01', 'S02', 'S03']);
  });

  afterAll(async () => {
    await ingest?.close();
    await sut?.close();
  });

  const relay = (xml: string) => relayTelegram(ingest, xml);

  async function orders(status: string): Promise<Order[]> {
    const res = await sut.api.http
      .get(`${base}/evacuation-orders?status=${status}`)
      .set(...(await as(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Order[];
  }

  async function detail(id: string): Promise<Order> {
    const res = await sut.api.http.get(`${base}/evacuation-orders/${id}`).set(...(await as(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Order;
  }

  async function step(id: string, action: string, body: object, role: Role): Promise<Step> {
    const res = await sut.api.http
      .post(`${base}/evacuation-orders/${id}/${action}`)
      .set(...(await as(role)))
      .send(body);
    expect(res.status).toBe(200);
    return res.body as Step;
  }

  async function alertTexts(id: string): Promise<Texts> {
    const res = await sut.api.http.get(`${base}/alerts/${id}`).set(...(await as(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body.texts as Texts;
  }

  /** The second person approves an alert an operator's step left waiting, and the operator sends it. */
  async function approveAndSend(alertId: string): Promise<void> {
    const approved = await sut.api.http
      .post(`${base}/alerts/${alertId}/approve`)
      .set(...(await as(Role.Approver)));
    expect(approved.body.status).toBe('approved');
    const sent = await sut.api.http.post(`${base}/alerts/${alertId}/send`).set(...(await as(Role.Operator)));
    expect(sent.body.status).toBe('dispatching');
  }

  /** What the fake FCM received for `alertId`, per token: language, title, body. */
  async function received(
    alertId: string,
    expectedTokens: number,
  ): Promise<{ token: string; language: string; title: string; body: string }[]> {
    await waitForAlert(sut, alertId, 'sent');
    await eventually(
      () => sut.fcm.server.received.filter((r) => dataOf(r).alertId === alertId).length >= expectedTokens,
    );
    return sut.fcm.server.received
      .filter((r) => dataOf(r).alertId === alertId)
      .map((r) => {
        const { language, title, body } = dataOf(r);
        return { token: r.token, language, title, body };
      });
  }

  /** The alert's CAP document as the public reads it. */
  async function capOf(alertId: string) {
    const res = await sut.api.http.get(`/v1/public/alerts/${alertId}/cap`);
    expect(res.status).toBe(200);
    return new XMLParser({ isArray: (n) => ['info', 'geocode'].includes(n) }).parse(res.text).alert as {
      msgType: string;
      references?: string;
      info: {
        headline: string;
        responseType?: string;
        urgency: string;
        area: { areaDesc: string; geocode: { value: string | number }[] };
      }[];
    };
  }

  const board = async () => {
    const res = await sut.api.http.get('/v1/public/municipalities/322067/evacuation');
    expect(res.status).toBe(200);
    return res.body as {
      orders: {
        id: string;
        level: number;
        hazard: string;
        districts: { code: string }[];
        households: number;
        people: number;
      }[];
      shelters: { name: string; crowding: string | null; hazards: string[] }[];
    };
  };

  it('the telegram drafts a 避難指示 (level 4) for exactly the districts of its レベル４ code, with counts; never issued', async () => {
    expect((await relay(TELEGRAM)).status).toBe(202);

    await eventually(async () => (await orders('draft')).length === 2);
    const drafts = (await orders('draft')).sort((a, b) => b.level - a.level);
    expect(drafts.map((o) => [o.level, o.hazard, o.source, o.districts.map((d) => d.code)])).toEqual([
      [4, 'storm_surge', 'feed', ['A1', 'A2']],
      [3, 'storm_surge', 'feed', ['B1']],
    ]);
    expect(await orders('issued')).toEqual([]);
    [flood4, surge3] = drafts;
    expect((await detail(flood4.id)).districts).toEqual([
      expect.objectContaining({ code: 'A1', households: 1, people: 2 }),
      expect.objectContaining({ code: 'A2', households: 1, people: 1 }),
    ]);
    // a draft tells nobody anything
    expect(sut.fcm.server.received).toEqual([]);
  });

  it('an approver issues it: the fakes get the standard wording in ja / やさしい日本語 / en naming the open 高潮 shelter', async () => {
    for (const s of ['S01', 'S02']) {
      const res = await sut.api.http
        .post(`${base}/shelters/${shelterIds[s]}/open`)
        .set(...(await as(Role.Operator)))
        .send({});
      expect(res.status).toBe(200);
    }
    const issued = await step(flood4.id, 'issue', { expectedVersion: flood4.version }, Role.Approver);
    expect(issued.order).toMatchObject({ status: 'issued', level: 4 });
    expect(issued.alerts).toEqual([
      expect.objectContaining({ status: 'dispatching', templateKey: 'evacuation.level4.issue' }),
    ]);
    issueAlertId = issued.alerts[0].id;

    const got = await received(issueAlertId, 3);
    const targeted = [...tokens.A1, ...tokens.A2];
    expect(got.map((r) => r.token).sort()).toEqual(targeted.map((t) => t.token).sort());
    const texts = await alertTexts(issueAlertId);
    for (const { token, language } of targeted) {
      const r = got.find((g) => g.token === token)!;
      expect(r).toMatchObject({ language, title: texts[language].title, body: texts[language].body });
      // the open shelter designated for storm surges is named; the earthquake-only one, open too, never
      expect(r.body).toContain('浜の台中学校（架空）');
      expect(r.body).not.toContain('浜グラウンド');
    }
    const ja = got.find((g) => g.language === 'ja')!;
    expect(ja.title).toBe('【警戒レベル４】避難指示（高潮）');
    expect(ja.body).toContain('浜地区、大波地区に高潮に関する警戒レベル４、避難指示を発令しました');
    expect(got.find((g) => g.language === 'ja-easy')!.title).toContain('【けいかいレベル４】');
    expect(got.find((g) => g.language === 'en')!.title).toContain('Alert Level 4');
  });

  it('the public board and CAP show it in force', async () => {
    const { orders: inForce } = await board();
    expect(inForce).toEqual([
      expect.objectContaining({
        id: flood4.id,
        level: 4,
        hazard: 'storm_surge',
        districts: [expect.objectContaining({ code: 'A1' }), expect.objectContaining({ code: 'A2' })],
        households: 2,
        people: 3,
      }),
    ]);

    const atom = await sut.api.http.get('/v1/public/municipalities/322067/cap.atom');
    expect(atom.status).toBe(200);
    expect(atom.text).toContain(`/v1/public/alerts/${issueAlertId}/cap`);
    const alert = await capOf(issueAlertId);
    expect(alert.msgType).toBe('Alert');
    expect(alert.info[0].headline).toBe('【警戒レベル４】避難指示（高潮）');
    expect(alert.info[0].area.areaDesc).toContain('浜、大波');
    expect(alert.info[0].area.geocode.map((g) => String(g.value))).toContain(MAIZURU);
  });

  it('another shelter opens and the first one gets crowded: the board shows both', async () => {
    const opened = await sut.api.http
      .post(`${base}/shelters/${shelterIds.S03}/open`)
      .set(...(await as(Role.Operator)))
      .send({});
    expect(opened.status).toBe(200);
    // 90 people in a place for 100
    const counted = await sut.api.http
      .put(`${base}/shelters/${shelterIds.S01}/head-count`)
      .set(...(await as(Role.Operator)))
      .send({ headCount: 90 });
    expect(counted.status).toBe(200);

    const { shelters } = await board();
    const byName = Object.fromEntries(shelters.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(
      ['大波公民館（架空）', '浜の台中学校（架空）', '浜グラウンド（架空）'].sort(),
    );
    expect(byName['浜の台中学校（架空）'].crowding).not.toBeNull();
    expect(byName['浜の台中学校（架空）'].crowding).not.toBe('available');
    expect(byName['大波公民館（架空）'].hazards).toContain('storm_surge');

    const staff = await sut.api.http
      .put(`${base}/shelters/${shelterIds.S01}/crowding`)
      .set(...(await as(Role.Operator)))
      .send({ level: 'full' });
    expect(staff.status).toBe(200);
    expect((await board()).shelters.find((s) => s.name === '浜の台中学校（架空）')!.crowding).toBe('full');
  });

  it('JMA lowers the warning: a proposal to lower the order is recorded, nothing is changed or sent', async () => {
    const sentBefore = sut.fcm.server.received.length;
    const res = await relay(
      lowered(MAIZURU, { name: 'レベル３高潮警報', code: '08', status: '危険警報から警報' }),
    );
    expect(res.status).toBe(202);

    const proposals = async () => {
      const list = await sut.api.http
        .get(`${base}/evacuation-orders/proposals?orderId=${flood4.id}`)
        .set(...(await as(Role.Viewer)));
      expect(list.status).toBe(200);
      return list.body as { orderId: string; kind: string; level: number; districtCodes: string[] }[];
    };
    await eventually(async () => (await proposals()).length > 0);
    expect((await proposals()).map((p) => [p.orderId, p.kind, p.level, p.districtCodes])).toEqual([
      [flood4.id, 'lower', 3, ['A1', 'A2']],
    ]);
    expect((await detail(flood4.id)).level).toBe(4);
    expect(sut.fcm.server.received.length).toBe(sentBefore);
  });

  it('the office lifts it: 解除 messages reach the fakes and the board shows nothing in force', async () => {
    const current = await detail(flood4.id);
    const lifted = await step(flood4.id, 'lift', { expectedVersion: current.version }, Role.Operator);
    expect(lifted.order.status).toBe('lifted');
    expect(lifted.alerts).toEqual([expect.objectContaining({ status: 'pending_approval' })]);
    await approveAndSend(lifted.alerts[0].id);

    const got = await received(lifted.alerts[0].id, 3);
    expect(got.map((r) => r.token).sort()).toEqual([...tokens.A1, ...tokens.A2].map((t) => t.token).sort());
    const by = (language: string) => got.find((g) => g.language === language)!;
    expect(by('ja').title).toBe('【解除】避難指示（高潮）');
    expect(by('ja').body).toContain('解除されました');
    expect(by('ja-easy').title).toContain('【おわり】');
    expect(by('en').title).toContain('Lifted');
    for (const r of got) expect(`${r.title}${r.body}`).not.toMatch(/取消|とりけし|Retracted/);

    expect((await board()).orders).toEqual([]);

    // CAP: the 解除 updates the issue with responseType AllClear
    const cap = await capOf(lifted.alerts[0].id);
    expect(cap.msgType).toBe('Update');
    expect(cap.references).toContain(`bousai-${issueAlertId}`);
    expect(cap.info.map((i) => i.responseType)).toEqual(['AllClear', 'AllClear', 'AllClear']);
    expect(cap.info[0].headline).toBe('【解除】避難指示（高潮）');
  });

  it('a mistaken order retracted gives 取消 wording, not 解除', async () => {
    const issued = await step(surge3.id, 'issue', { expectedVersion: surge3.version }, Role.Approver);
    expect(issued.alerts[0].status).toBe('dispatching');
    await received(issued.alerts[0].id, 1);
    expect((await board()).orders.map((o) => [o.level, o.districts.map((d) => d.code)])).toEqual([
      [3, ['B1']],
    ]);

    const retracted = await step(
      surge3.id,
      'retract',
      { expectedVersion: issued.order.version, reason: '地区を取り違えた' },
      Role.Operator,
    );
    expect(retracted.order.status).toBe('retracted');
    await approveAndSend(retracted.alerts[0].id);
    const [r] = await received(retracted.alerts[0].id, 1);
    expect(r.token).toBe(tokens.B1[0].token);
    expect(r.title).toBe('【取消】高齢者等避難（高潮）');
    expect(r.body).toContain('取り消します');
    expect(r.body).not.toContain('解除');
    // CAP: the 取消 cancels the order's issue; it is no AllClear
    const cap = await capOf(retracted.alerts[0].id);
    expect(cap.msgType).toBe('Cancel');
    expect(cap.references).toContain(`bousai-${issued.alerts[0].id}`);
    expect(cap.info.every((i) => i.responseType === undefined)).toBe(true);
    expect(cap.info[0].headline).toBe('【取消】高齢者等避難（高潮）');
    expect((await board()).orders).toEqual([]);
    // nobody in 山手 (no JMA warning there) heard anything all night
    expect(sut.fcm.server.receivedFor(tokens.C1[0].token)).toEqual([]);
  });
});
