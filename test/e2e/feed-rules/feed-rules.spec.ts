import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Role } from '@bousai/domain';
import { defaultFeedRules } from '@bousai/feeds';
import { startApi, type ApiHarness } from '../support/api-harness';

const FIXTURES = path.resolve(__dirname, '../../fixtures/feeds/jmaxml');
const fixture = (file: string) => readFileSync(path.join(FIXTURES, file), 'utf8');

describe('feed rules API', () => {
  let sut: ApiHarness;
  let base: string;
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    sut = await startApi();
    const [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}/feed-rules`;
    admin = await sut.token(yasugi, Role.Admin);
    operator = await sut.token(yasugi, Role.Operator);
  });
  afterAll(() => sut.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const countRows = async (table: string) =>
    Number((await sut.db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  it('lists the defaults on first read, in evaluation order', async () => {
    const res = await sut.http.get(base).set(auth(await sut.token(sut.tenants[0], Role.Viewer)));

    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { rule: { id: string } }) => i.rule.id)).toEqual(
      defaultFeedRules().map((r) => r.id),
    );
  });

  it('refuses an invalid rule with 400, the code and the failing path; nothing is stored', async () => {
    const [rule] = defaultFeedRules();
    const res = await sut.http
      .put(`${base}/${rule.id}`)
      .set(auth(admin))
      .send({ ...rule, match: { ...rule.match, minIntensity: '5弱' } });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ path: 'match.minIntensity' })] },
    });
    const list = await sut.http.get(base).set(auth(admin));
    expect(list.body.items[0].rule.match.minIntensity).toBe('5-');
  });

  it('admins add, edit and delete rules, each audited; operators may not', async () => {
    const [quake] = defaultFeedRules();
    const rule = {
      ...quake,
      id: 'earthquake-4',
      name: '震度4以上',
      match: { ...quake.match, minIntensity: '4' },
    };

    expect((await sut.http.post(base).set(auth(operator)).send(rule)).status).toBe(403);
    const created = await sut.http.post(base).set(auth(admin)).send(rule);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      rule: { id: 'earthquake-4', enabled: true },
      updatedBy: expect.any(String),
    });
    expect((await sut.http.post(base).set(auth(admin)).send(rule)).status).toBe(409);

    const edited = await sut.http
      .put(`${base}/earthquake-4`)
      .set(auth(admin))
      .send({ ...rule, enabled: false });
    expect(edited.status).toBe(200);
    expect(edited.body.rule.enabled).toBe(false);

    expect((await sut.http.delete(`${base}/earthquake-4`).set(auth(admin))).status).toBe(204);
    expect((await sut.http.delete(`${base}/earthquake-4`).set(auth(admin))).status).toBe(404);

    const audited = await sut.db.dataSource.query(
      `SELECT action, details FROM audit_log WHERE action LIKE 'feed_rule.%' ORDER BY id`,
    );
    expect(audited).toEqual([
      { action: 'feed_rule.create', details: { ruleId: 'earthquake-4' } },
      { action: 'feed_rule.update', details: { ruleId: 'earthquake-4' } },
      { action: 'feed_rule.delete', details: { ruleId: 'earthquake-4' } },
    ]);
  });

  it('replaces the whole set; an empty set stays empty (the defaults are not brought back)', async () => {
    const [, tenant] = sut.tenants;
    const other = `/v1/municipalities/${tenant.municipalityId}/feed-rules`;
    const token = await sut.token(tenant, Role.Admin);

    const dup = await sut.http
      .put(other)
      .set(auth(token))
      .send({ rules: [defaultFeedRules()[0], defaultFeedRules()[0]] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.issues[0].path).toBe('1.id');

    expect((await sut.http.put(other).set(auth(token)).send({ rules: [] })).status).toBe(200);
    expect((await sut.http.get(other).set(auth(token))).body.items).toEqual([]);
  });

  it('dry-run: a real VPWW55 telegram (raw XML) shows the alert it would make for 安来市, writing nothing', async () => {
    const alerts = await countRows('alert');
    const events = await countRows('event');

    const res = await sut.http
      .post(`${base}/dry-run`)
      .set(auth(operator))
      .set('Content-Type', 'application/xml')
      .send(fixture('weather/vpww55_shimane_20241102_r06-heavy-rain.xml'));

    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ format: 'jmaxml', kind: 'weather.warning_r06.heavy_rain' });
    expect(res.body.revision.kind).toBe('new');
    expect(res.body.decisions.find((d: { ruleId: string }) => d.ruleId === 'weather-warning')).toMatchObject({
      fired: true,
      draft: {
        severity: 'severe',
        autoSend: false,
        texts: { ja: { title: '【気象庁発表】安来市 レベル３大雨警報' } },
      },
    });
    expect(res.body.plans).toEqual([
      expect.objectContaining({ action: 'create', ruleId: 'weather-warning' }),
    ]);
    expect(await countRows('alert')).toBe(alerts);
    expect(await countRows('event')).toBe(events);
  });

  it('dry-run: a J-ALERT missile message (JSON) would be sent without approval; proposed rules can be tried', async () => {
    const missile = JSON.stringify({
      id: 'ja-e2e-1',
      type: 'ballistic_missile',
      status: 'actual',
      areaCodes: ['3220600'],
      text: 'ミサイル発射情報。屋内に避難し、テレビ・ラジオをつけてください。',
      issuedAt: '2026-11-24T10:00:00+09:00',
    });

    const res = await sut.http.post(`${base}/dry-run`).set(auth(operator)).send({ document: missile });
    expect(res.status).toBe(200);
    expect(res.body.plans).toEqual([
      expect.objectContaining({
        action: 'create',
        ruleId: 'jalert-civil-protection',
        draft: expect.objectContaining({ autoSend: true }),
      }),
    ]);

    const none = await sut.http
      .post(`${base}/dry-run`)
      .set(auth(operator))
      .send({ document: missile, rules: [] });
    expect(none.body.plans).toEqual([]);
  });

  it('dry-run: a document that is not one answers 400 with the feed error code', async () => {
    const res = await sut.http
      .post(`${base}/dry-run`)
      .set(auth(operator))
      .set('Content-Type', 'application/xml')
      .send('<!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>');

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { feedErrorCode: expect.any(String) },
    });
  });
});
