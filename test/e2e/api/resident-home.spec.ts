import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

const VAPID_PUBLIC_KEY = 'B' + 'A'.repeat(86);

/** What the residents' app reads: its holder's profile, the alerts sent to them (and no one else's), the push key. */
describe('resident home: /v1/resident/me, /v1/resident/alerts, /v1/public/web-push', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;

  beforeAll(async () => {
    sut = await startApi({ WEBPUSH_VAPID_PUBLIC_KEY: VAPID_PUBLIC_KEY });
    [yasugi] = sut.tenants;
  });
  afterAll(() => sut.close());

  const q = <T>(sql: string, params: unknown[] = []) => sut.db.dataSource.query<T>(sql, params);

  async function enrolled(externalId: string, language: string): Promise<{ id: string; credential: string }> {
    const op = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Admin)}`] as const;
    const base = `/v1/municipalities/${yasugi.municipalityId}`;
    const area = await sut.http
      .post(`${base}/areas`)
      .set(...op)
      .send({ code: externalId, name: '荒島町' });
    const hh = await sut.http
      .post(`${base}/households`)
      .set(...op)
      .send({ externalId: `H-${externalId}`, areaId: area.body.id, address: '安来市荒島町1' });
    const r = await sut.http
      .post(`${base}/residents`)
      .set(...op)
      .send({ externalId, name: '住民', householdId: hh.body.id, language });
    return { id: r.body.id, credential: await sut.enrol(yasugi, r.body.id) };
  }

  /** A sent alert with a delivery to a webpush endpoint of `residentId`. */
  async function deliveredTo(residentId: string, title: string): Promise<string> {
    const [alert] = await q<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, dispatched_at, sent_at)
       VALUES ($1, 'operator', $2, 'extreme', '{"all":true}', '{webpush}', 'sent', now(), now()) RETURNING id`,
      [
        yasugi.municipalityId,
        JSON.stringify({
          ja: { title, body: '避難してください' },
          en: { title: `EN ${title}`, body: 'Evacuate' },
        }),
      ],
    );
    const [endpoint] = await q<{ id: string }[]>(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address)
       VALUES ($1, $2, 'webpush', gen_random_uuid()::text) RETURNING id`,
      [yasugi.municipalityId, residentId],
    );
    await q(`INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) VALUES ($1, $2, 'webpush', 0)`, [
      alert.id,
      endpoint.id,
    ]);
    return alert.id;
  }

  it('answers who the holder is, and only with their credential', async () => {
    const hanako = await enrolled('HOME-1', 'en');
    const me = await sut.http.get('/v1/resident/me').set('Authorization', `Bearer ${hanako.credential}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      residentId: hanako.id,
      municipalityCode: '322067',
      municipalityName: '安来市',
      language: 'en',
      areaName: '荒島町',
      extraAreaIds: [],
    });
    expect((await sut.http.get('/v1/resident/me')).status).toBe(401);
  });

  it("lists the alerts sent to the holder in their language or the one asked for, never another resident's", async () => {
    const taro = await enrolled('HOME-2', 'en');
    const jiro = await enrolled('HOME-3', 'ja');
    const mine = await deliveredTo(taro.id, '避難指示');
    await deliveredTo(jiro.id, '次郎さんへの警報');
    const list = await sut.http.get('/v1/resident/alerts').set('Authorization', `Bearer ${taro.credential}`);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: mine,
        title: 'EN 避難指示',
        language: 'en',
        myAnswer: null,
        severity: 'extreme',
      }),
    ]);
    const ja = await sut.http
      .get('/v1/resident/alerts?lang=ja')
      .set('Authorization', `Bearer ${taro.credential}`);
    expect(ja.body.map((a: { title: string }) => a.title)).toEqual(['避難指示']);
  });

  it("gives any page the office's VAPID public key", async () => {
    const res = await sut.http.get('/v1/public/web-push');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ vapidPublicKey: VAPID_PUBLIC_KEY });
  });
});
