import { Role } from '@bousai/domain';
import {
  alertOf,
  approveAndSend,
  deliveryViews,
  eventually,
  type Stack,
  startStack,
  submitted,
  waitForAlert,
} from '../fanout/support/fanout-stack';

// the api, a fanout sending on receiver and fcm (the fake FCM), real Postgres and Redis
jest.setTimeout(60_000);

interface Problem {
  code: string;
  severity: string;
  message: string;
  ids?: string[];
  channel?: string;
  language?: string;
  limit?: { kind: string; max: number; unit: string };
  length?: number;
}

/**
 * An operator's mistakes are caught before anything is sent: unknown districts, households and JMA codes, empty
 * and too-long texts are refused with 422 naming them; household ids are UUIDv7 and work; the preview shows the
 * audience, the rendered texts and the channels nobody sends on; those channels' deliveries are recorded as
 * undeliverable and the live view counts them.
 */
describe('alert checks and preview', () => {
  let stack: Stack;
  let m: string;
  let area: string;
  let spareArea: string;
  let household: string;
  let otherTownArea: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    const s = stack.seed;
    m = stack.api.tenants[0].municipalityId;
    area = await s.area(m, { jmaCityCode: '3220600', jmaQuakeAreaCode: '581' });
    spareArea = await s.area(m, { jmaQuakeAreaCode: '582' });
    household = await s.household(m, area);
    const neighbours = await s.household(m, area);
    // 要援護者 with an app, her daughter (staff) with an app and a confirmed email, a receiver in their home;
    // a neighbour with an app
    const needs = await s.resident(m, { householdId: household, needsAssistance: true });
    const staff = await s.resident(m, { householdId: household, staff: true });
    const other = await s.resident(m, { householdId: neighbours });
    for (const r of [needs, staff, other]) {
      const id = await s.fcm(m, r);
      const [row] = await stack.api.db.dataSource.query<{ address: string }[]>(
        `SELECT address FROM endpoint WHERE id = $1`,
        [id],
      );
      tokens.push(row.address);
    }
    await s.receiver(m, household);
    await stack.api.db.dataSource.query(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address, confirmed_at)
       VALUES ($1, $2, 'email', 'daughter@example.jp', now())`,
      [m, staff],
    );
    otherTownArea = await s.area(stack.api.tenants[1].municipalityId, { jmaQuakeAreaCode: '583' });
    // the in-process fanout announces its channels in the background at boot
    await eventually(
      async () => !(await preview({ targeting: { all: true } })).unservedChannels.includes('fcm'),
    );
  });
  afterAll(() => stack.close());

  const texts = { ja: { title: '避難指示', body: '直ちに避難してください。' } };

  async function create(body: Record<string, unknown>) {
    return stack.api.http
      .post(stack.alerts())
      .set(...(await stack.auth(Role.Operator)))
      .send({ severity: 'extreme', texts, channels: ['receiver', 'fcm'], ...body });
  }

  async function preview(body: Record<string, unknown>) {
    const res = await stack.api.http
      .post(`${stack.alerts()}/preview`)
      .set(...(await stack.auth(Role.Operator)))
      .send({ severity: 'extreme', texts, channels: ['receiver', 'fcm'], ...body });
    expect(res.status).toBe(200);
    return res.body as {
      audience: Record<string, { endpoints: number; residents: number; households: number }>;
      channels: {
        channel: string;
        served: boolean;
        audience: Record<string, { endpoints: number; residents: number; households: number }>;
        texts: { language: string; title: string; body: string; shortened: boolean; limit: unknown }[];
      }[];
      unservedChannels: string[];
      problems: Problem[];
    };
  }

  it('refuses unknown districts, households and JMA codes with 422, naming each', async () => {
    const unknownArea = '0190f0c2-7c3a-7d4e-8f90-123456789abc';
    const unknownHousehold = '0190f0c2-7c3a-7d4e-8f90-cba987654321';
    const res = await create({
      targeting: {
        areaIds: [area, unknownArea, otherTownArea],
        householdIds: [household, unknownHousehold],
        jmaCodes: ['581', '4990000'],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ALERT_REJECTED');
    expect(res.body.error.message).toContain(unknownArea);
    const problems = res.body.error.details.problems as Problem[];
    expect(problems).toEqual([
      expect.objectContaining({ code: 'unknown_areas', ids: [unknownArea, otherTownArea] }),
      expect.objectContaining({ code: 'unknown_households', ids: [unknownHousehold] }),
      expect.objectContaining({ code: 'unknown_jma_codes', ids: ['4990000'] }),
    ]);
    const count = await stack.api.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM alert WHERE municipality_id = $1`,
      [m],
    );
    expect(count[0].n).toBe(0);
  });

  it('refuses an alert whose title and body are blank', async () => {
    const res = await create({
      texts: { ja: { title: '  ', body: '\n' } },
      targeting: { all: true },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      expect.objectContaining({ code: 'empty_text', language: 'ja', severity: 'error' }),
    ]);
  });

  it('refuses a text over a hard channel limit, naming the channel and the limit', async () => {
    const res = await create({
      texts: { ja: { title: '避難指示', body: 'あ'.repeat(8_800) } },
      channels: ['receiver', 'line'],
      targeting: { all: true },
    });
    expect(res.status).toBe(422);
    const [problem] = res.body.error.details.problems as Problem[];
    expect(problem).toMatchObject({
      code: 'text_too_long',
      channel: 'line',
      language: 'ja',
      length: 8_806,
      limit: { kind: 'hard', max: 5_000, unit: 'utf16' },
    });
    expect(problem.message).toMatch(/line carries at most 5000/);
  });

  it('checks again on the way to sending: a district removed after create stops the approval', async () => {
    const res = await create({ targeting: { areaIds: [spareArea] } });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await stack.api.http.post(`${stack.alerts()}/${id}/submit`).set(...(await stack.auth(Role.Operator)));
    await stack.api.db.dataSource.query(`DELETE FROM area WHERE id = $1`, [spareArea]);
    const approve = await stack.api.http
      .post(`${stack.alerts()}/${id}/approve`)
      .set(...(await stack.auth(Role.Approver)));
    expect(approve.status).toBe(422);
    expect(approve.body.error.details.problems).toEqual([
      expect.objectContaining({ code: 'unknown_areas', ids: [spareArea] }),
    ]);
    expect((await alertOf(stack, id)).status).toBe('pending_approval');
  });

  it('sends an alert to a household by its UUIDv7 id, end to end', async () => {
    expect(household).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    const id = await submitted(stack, { texts, targeting: { householdIds: [household] }, channels: ['fcm'] });
    await approveAndSend(stack, id);
    await waitForAlert(stack, id, 'sent');
    const sent = stack.fcm.server.received.map((r) => r.token);
    // the two residents of the household, not the neighbour
    expect(sent.filter((t) => tokens.includes(t)).sort()).toEqual([tokens[0], tokens[1]].sort());
  });

  it('previews audience per channel and group, rendered texts, and the channels nobody serves', async () => {
    const body = 'あ'.repeat(400); // 1,200 bytes: over FCM's 1,000-byte body
    const p = await preview({
      texts: { ja: { title: '避難指示', body }, en: { title: 'Evacuate', body: 'Evacuate now.' } },
      channels: ['receiver', 'fcm', 'email'],
      targeting: { areaIds: [area] },
    });
    const byChannel = Object.fromEntries(p.channels.map((c) => [c.channel, c]));
    expect(p.unservedChannels).toEqual(['email']);
    expect(byChannel.email.served).toBe(false);
    expect(byChannel.fcm.audience).toEqual({
      everyone: { endpoints: 3, residents: 3, households: 2 },
      needs_assistance: { endpoints: 1, residents: 1, households: 1 },
      staff: { endpoints: 1, residents: 1, households: 1 },
    });
    // the receiver reaches everyone registered in its household
    expect(byChannel.receiver.audience).toEqual({
      everyone: { endpoints: 1, residents: 2, households: 1 },
      needs_assistance: { endpoints: 1, residents: 1, households: 1 },
      staff: { endpoints: 1, residents: 1, households: 1 },
    });
    expect(byChannel.email.audience.staff).toEqual({ endpoints: 1, residents: 1, households: 1 });
    // served channels only, each person and household once
    expect(p.audience.everyone).toEqual({ endpoints: 4, residents: 3, households: 2 });

    const fcmJa = byChannel.fcm.texts.find((t) => t.language === 'ja')!;
    expect(fcmJa.shortened).toBe(true);
    expect(Buffer.byteLength(fcmJa.body)).toBeLessThanOrEqual(1_000);
    expect(fcmJa.body.endsWith('…')).toBe(true);
    expect(fcmJa.limit).toEqual({ kind: 'soft', applies: 'body', unit: 'utf8-bytes', max: 1_000 });
    const receiverJa = byChannel.receiver.texts.find((t) => t.language === 'ja')!;
    expect(receiverJa).toMatchObject({ title: '避難指示', body, shortened: false, limit: null });
    expect(byChannel.fcm.texts.find((t) => t.language === 'en')).toMatchObject({
      body: 'Evacuate now.',
      shortened: false,
    });

    expect(p.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'channel_unserved', channel: 'email', severity: 'warning' }),
        expect.objectContaining({ code: 'text_shortened', channel: 'fcm', language: 'ja' }),
      ]),
    );
    expect(p.problems.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('lists every problem of a request at once in the preview', async () => {
    const p = await preview({
      texts: { ja: { title: '', body: ' ' } },
      targeting: { areaIds: ['0190f0c2-7c3a-7d4e-8f90-000000000000'] },
    });
    expect(p.problems.map((x) => x.code)).toEqual(
      expect.arrayContaining(['unknown_areas', 'empty_text', 'nobody_reached']),
    );
    // a text that is not { title, body } of text is malformed input, refused at the edge before anything reads it
    const malformed = await stack.api.http
      .post(`${stack.alerts()}/preview`)
      .set(...(await stack.auth(Role.Operator)))
      .send({
        texts: { ja: { title: '避難指示', body: '逃げて' }, en: { title: 5, body: {} } },
        targeting: { all: true },
      });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'texts', problems: [expect.any(String)] }],
    });
  });

  it('records deliveries on a channel no fanout serves as undeliverable, and the live view shows them', async () => {
    const id = await submitted(stack, { texts, targeting: { areaIds: [area] }, channels: ['fcm', 'email'] });
    // the approver sees the same before approving
    const stored = await stack.api.http
      .get(`${stack.alerts()}/${id}/preview`)
      .set(...(await stack.auth(Role.Viewer)));
    expect(stored.status).toBe(200);
    expect(stored.body.unservedChannels).toEqual(['email']);
    expect(stored.body.audience.everyone).toEqual({ endpoints: 3, residents: 3, households: 2 });
    await approveAndSend(stack, id);
    await waitForAlert(stack, id, 'sent');
    const rows = await deliveryViews(stack, id);
    expect(rows.filter((r) => r.channel === 'email')).toEqual([
      expect.objectContaining({
        address: 'daughter@example.jp',
        status: 'undeliverable',
        errorCode: 'NO_SENDER',
      }),
    ]);
    expect(rows.filter((r) => r.channel === 'fcm').map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);

    const live = await stack.api.http
      .get(`${stack.alerts()}/${id}/live`)
      .set(...(await stack.auth(Role.Viewer)));
    expect(live.status).toBe(200);
    expect(live.body.byChannel.email).toEqual({ undeliverable: 1 });
    expect(live.body.totals).toMatchObject({ planned: 4, sent: 3, undeliverable: 1 });
    expect(live.body.rates).toMatchObject({ reached: 0.75, undeliverable: 0.25 });
  });
});
