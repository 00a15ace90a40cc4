import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';
import { seedDistricts } from '../support/districts-seed';

const FIXTURES = join(__dirname, '../../fixtures/shelters');

interface Step {
  order: { id: string; status: string; level: number; version: number; districts: { code: string }[] };
  alerts: { id: string; status: string; templateKey: string; severity: string }[];
}

interface Alert {
  status: string;
  templateKey: string;
  severity: string;
  createdBy: string | null;
  approvedBy: string | null;
  targeting: { all?: boolean; areaIds?: string[] };
  texts: Record<string, { title: string; body: string }>;
}

describe('evacuation orders (避難情報): stored, commanded, announced as alerts', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let base: string;
  const areas: Record<string, string> = {};

  const bearer = async (role: Role) => ['Authorization', `Bearer ${await sut.token(yasugi, role)}`] as const;

  beforeAll(async () => {
    sut = await startApi();
    [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    // 飯島町: two households of 3 people; 荒島町: one of 1
    Object.assign(
      areas,
      await seedDistricts(
        sut,
        yasugi,
        [
          ['01', '飯島町'],
          ['02', '荒島町'],
          ['03', '赤江町'],
        ],
        [
          ['H1', '01', 2],
          ['H2', '01', 1],
          ['H3', '02', 1],
        ],
      ),
    );
    const op = await bearer(Role.Operator);
    // さくら台小学校 (flood, 飯島町・荒島町) and 東十神ひろば (earthquake only) open
    const imported = await sut.http
      .post(`${base}/shelters/imports`)
      .set(...op)
      .attach('file', readFileSync(join(FIXTURES, 'da-emergency-sites.utf8.csv')), {
        filename: 'sites.csv',
        contentType: 'text/csv',
      });
    expect(imported.status).toBe(200);
    const list = await sut.http.get(`${base}/shelters`).set(...op);
    for (const externalId of ['E001', 'E002']) {
      const shelter = (list.body as { id: string; externalId: string }[]).find(
        (s) => s.externalId === externalId,
      )!;
      expect((await sut.http.post(`${base}/shelters/${shelter.id}/open`).set(...op)).status).toBe(200);
    }
  });
  afterAll(() => sut.close());

  async function draft(body: object, role = Role.Operator) {
    return sut.http
      .post(`${base}/evacuation-orders`)
      .set(...(await bearer(role)))
      .send(body);
  }

  async function command(id: string, action: string, body: object, role: Role) {
    return sut.http
      .post(`${base}/evacuation-orders/${id}/${action}`)
      .set(...(await bearer(role)))
      .send(body);
  }

  async function step(id: string, action: string, body: object, role: Role): Promise<Step> {
    const res = await command(id, action, body, role);
    expect(res.status).toBe(200);
    return res.body as Step;
  }

  async function alert(id: string): Promise<Alert> {
    const res = await sut.http.get(`${base}/alerts/${id}`).set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as Alert;
  }

  async function inForce() {
    const res = await sut.http.get(`${base}/evacuation-orders/in-force`).set(...(await bearer(Role.Viewer)));
    expect(res.status).toBe(200);
    return res.body as { districtCode: string; level: number; households: number; people: number }[];
  }

  const alertCount = async () =>
    Number(
      (
        await sut.db.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM alert WHERE municipality_id = $1',
          [yasugi.municipalityId],
        )
      )[0].n,
    );

  it('draft for two districts → issued by an approver at once → raised to 5 → lifted', async () => {
    const created = await draft({ hazard: 'flood', level: 4, districtCodes: ['01', '02'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', version: 1, source: 'operator', level: 4 });
    const id = created.body.id as string;

    // the approver issuing someone else's draft is the second person: approved and sent in one go
    const issued = await step(id, 'issue', { expectedVersion: 1 }, Role.Approver);
    expect(issued.order).toMatchObject({ status: 'issued', version: 2 });
    expect(issued.alerts).toEqual([
      expect.objectContaining({
        status: 'dispatching',
        templateKey: 'evacuation.level4.issue',
        severity: 'extreme',
      }),
    ]);
    const issueAlert = await alert(issued.alerts[0].id);
    expect(issueAlert).toMatchObject({
      createdBy: yasugi.operators[Role.Operator].id,
      createdByName: yasugi.operators[Role.Operator].email,
      approvedBy: yasugi.operators[Role.Approver].id,
      approvedByName: yasugi.operators[Role.Approver].email,
    });
    expect([...(issueAlert.targeting.areaIds ?? [])].sort()).toEqual([areas['01'], areas['02']].sort());
    expect(Object.keys(issueAlert.texts).sort()).toEqual(['en', 'ja', 'ja-easy']);
    expect(issueAlert.texts.ja.title).toBe('【警戒レベル４】避難指示（洪水）');
    expect(issueAlert.texts.ja.body).toContain(
      '飯島町、荒島町に洪水に関する警戒レベル４、避難指示を発令しました',
    );
    for (const lang of ['ja', 'ja-easy', 'en']) {
      // open and designated for floods: named; open but for earthquakes only: never
      expect(issueAlert.texts[lang].body).toContain('さくら台小学校（架空）');
      expect(issueAlert.texts[lang].body).not.toContain('東十神ひろば');
    }
    expect(issueAlert.texts.en.body).toContain('Alert Level 4');

    expect(await inForce()).toEqual([
      expect.objectContaining({ districtCode: '01', level: 4, hazard: 'flood', households: 2, people: 3 }),
      expect.objectContaining({ districtCode: '02', level: 4, hazard: 'flood', households: 1, people: 1 }),
    ]);

    // an operator raising it: the alert waits for a second person
    const raised = await step(id, 'level', { expectedVersion: 2, level: 5 }, Role.Operator);
    expect(raised.alerts).toEqual([
      expect.objectContaining({ status: 'pending_approval', templateKey: 'evacuation.level5.raise' }),
    ]);
    expect((await alert(raised.alerts[0].id)).texts.ja.body).toContain('直ちに身の安全を確保');
    expect((await inForce()).map((d) => d.level)).toEqual([5, 5]);

    const lifted = await step(id, 'lift', { expectedVersion: 3 }, Role.Approver);
    expect(lifted.order).toMatchObject({ status: 'lifted', version: 4 });
    const liftAlert = await alert(lifted.alerts[0].id);
    expect(liftAlert).toMatchObject({ status: 'pending_approval', severity: 'minor' });
    expect(liftAlert.texts.ja.title).toContain('【解除】');
    expect(liftAlert.texts.ja.body).toContain('解除されました');
    expect(liftAlert.texts.ja.body).not.toContain('さくら台小学校');
    expect(await inForce()).toEqual([]);

    const detail = await sut.http.get(`${base}/evacuation-orders/${id}`).set(...(await bearer(Role.Viewer)));
    expect(detail.status).toBe(200);
    expect(detail.body.districts).toEqual([
      expect.objectContaining({ code: '01', households: 2, people: 3 }),
      expect.objectContaining({ code: '02', households: 1, people: 1 }),
    ]);
    expect(
      (detail.body.history as { action: string; messageKind: string; alert: { status: string } }[]).map(
        (h) => [h.action, h.messageKind, h.alert.status],
      ),
    ).toEqual([
      ['issue', 'issue', 'dispatching'],
      // the raise never went out: lifting the order withdrew it, no one may send it now
      ['change_level', 'raise', 'cancelled'],
      ['lift', 'lift', 'pending_approval'],
    ]);

    // who did what, by name: the display name when there is one, else the e-mail; a disabled account still named
    const [drafter, approver] = [yasugi.operators[Role.Operator], yasugi.operators[Role.Approver]];
    await sut.db.dataSource.query("UPDATE operator SET display_name = '防災 太郎' WHERE id = $1", [
      drafter.id,
    ]);
    await sut.db.dataSource.query('UPDATE operator SET disabled = true WHERE id = $1', [approver.id]);
    try {
      const named = await sut.http.get(`${base}/evacuation-orders/${id}`).set(...(await bearer(Role.Viewer)));
      expect(named.body).toMatchObject({ createdBy: drafter.id, createdByName: '防災 太郎' });
      expect(
        (named.body.history as { action: string; actorId: string; actorName: string }[]).map((h) => [
          h.action,
          h.actorId,
          h.actorName,
        ]),
      ).toEqual([
        ['issue', approver.id, approver.email],
        ['change_level', drafter.id, '防災 太郎'],
        ['lift', approver.id, approver.email],
      ]);
      const log = await sut.http
        .get(`${base}/audit-log?action=evacuation_order`)
        .set(...(await bearer(Role.Admin)));
      expect(log.status).toBe(200);
      const names = new Map(
        (log.body as { actorId: string; actorName: string }[]).map((e) => [e.actorId, e.actorName]),
      );
      expect(names.get(drafter.id)).toBe('防災 太郎');
      expect(names.get(approver.id)).toBe(approver.email);
    } finally {
      await sut.db.dataSource.query(
        'UPDATE operator SET display_name = NULL, disabled = false WHERE id IN ($1, $2)',
        [drafter.id, approver.id],
      );
    }
    const audited = await sut.db.dataSource.query<{ action: string; actor_id: string }[]>(
      `SELECT action, actor_id FROM audit_log WHERE $1 = ANY (target_ids) ORDER BY id`,
      [id],
    );
    expect(audited.map((a) => a.action)).toEqual([
      'evacuation_order.create',
      'evacuation_order.issue',
      'evacuation_order.level',
      'evacuation_order.lift',
    ]);
    const lifts = await sut.http
      .get(`${base}/evacuation-orders?status=lifted`)
      .set(...(await bearer(Role.Viewer)));
    expect((lifts.body as { id: string }[]).map((o) => o.id)).toContain(id);
  });

  it('an admin issues a municipality-wide Level 5 single-step and retracts it: 取消 wording, never 解除', async () => {
    const created = await draft({ hazard: 'landslide', level: 5, wholeMunicipality: true }, Role.Admin);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const issued = await step(id, 'issue', { expectedVersion: 1 }, Role.Admin);
    expect(issued.alerts[0]).toMatchObject({ status: 'dispatching', templateKey: 'evacuation.level5.issue' });
    expect((await alert(issued.alerts[0].id)).targeting).toEqual({ all: true });
    expect((await inForce()).map((d) => d.districtCode)).toEqual(['01', '02', '03']);

    const retracted = await step(
      id,
      'retract',
      { expectedVersion: 2, reason: '地区を取り違えた' },
      Role.Admin,
    );
    expect(retracted.order.status).toBe('retracted');
    const notice = await alert(retracted.alerts[0].id);
    expect(notice.status).toBe('dispatching');
    expect(notice.texts.ja.title).toContain('【取消】');
    expect(notice.texts.ja.body).toContain('誤って発令');
    expect(notice.texts.ja.body).toContain('取り消します');
    expect(notice.texts.ja.body).not.toContain('解除');
    expect(await inForce()).toEqual([]);
  });

  it('districts: an added district hears an issue, a removed one a lift, each alert only to them', async () => {
    const created = await draft({ hazard: 'flood', level: 3, districtCodes: ['01'] });
    const id = created.body.id as string;
    await step(id, 'issue', { expectedVersion: 1 }, Role.Approver);
    const changed = await step(
      id,
      'districts',
      { expectedVersion: 2, add: ['02'], remove: ['01'] },
      Role.Operator,
    );
    expect(changed.order).toMatchObject({ version: 4, districts: [{ code: '02' }] });
    expect(changed.alerts.map((a) => [a.templateKey, a.status])).toEqual([
      ['evacuation.level3.extend', 'pending_approval'],
      ['evacuation.level3.shrink', 'pending_approval'],
    ]);
    const [extend, shrink] = await Promise.all(changed.alerts.map((a) => alert(a.id)));
    expect(extend.targeting).toEqual({ areaIds: [areas['02']] });
    expect(extend.texts.ja.body).toContain('荒島町に洪水に関する警戒レベル３、高齢者等避難を発令しました');
    expect(shrink.targeting).toEqual({ areaIds: [areas['01']] });
    expect(shrink.texts.ja.body).toContain('解除');
    expect((await inForce()).map((d) => [d.districtCode, d.level])).toEqual([['02', 3]]);
    await step(id, 'lift', { expectedVersion: 4 }, Role.Operator);
    // lifting withdraws the unsent warning; the removed district's lift still waits to go out
    expect((await alert(changed.alerts[0].id)).status).toBe('cancelled');
    expect((await alert(changed.alerts[1].id)).status).toBe('pending_approval');
  });

  it('refuses bad input with 400 before anything is sent, a stale version with 409, a viewer with 403', async () => {
    const before = await alertCount();
    const unknown = await draft({ hazard: 'flood', level: 4, districtCodes: ['01', '99'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(unknown.body.error.message).toContain('99');
    expect((await draft({ hazard: 'flood', level: 4, districtCodes: [] })).status).toBe(400);
    expect((await draft({ hazard: 'flood', level: 4 })).status).toBe(400);
    const six = await draft({ hazard: 'flood', level: 6, districtCodes: ['01'] });
    expect(six.status).toBe(400);
    expect(six.body.error.message).toContain('level 3');

    const ok = await draft({ hazard: 'tsunami', level: 3, districtCodes: ['03'] });
    const id = ok.body.id as string;
    const addUnknown = await command(id, 'districts', { expectedVersion: 1, add: ['98'] }, Role.Operator);
    expect(addUnknown.status).toBe(400);
    expect((await command(id, 'level', { expectedVersion: 1, level: 2 }, Role.Operator)).status).toBe(400);
    expect((await command(id, 'issue', { expectedVersion: 7 }, Role.Approver)).status).toBe(409);
    expect((await command(id, 'issue', {}, Role.Approver)).status).toBe(400);

    expect((await draft({ hazard: 'flood', level: 4, districtCodes: ['01'] }, Role.Viewer)).status).toBe(403);
    expect((await command(id, 'issue', { expectedVersion: 1 }, Role.Viewer)).status).toBe(403);
    expect(await alertCount()).toBe(before);

    // the draft was untouched by all that, and can still be discarded
    const discarded = await step(id, 'discard', { expectedVersion: 1 }, Role.Operator);
    expect(discarded).toMatchObject({ order: { status: 'discarded', version: 2 }, alerts: [] });
  });
});
