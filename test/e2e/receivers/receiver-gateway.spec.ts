import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { ReceiverErrorCode } from '@bousai/channels';
import { Role } from '@bousai/domain';
import { ReceiverSimulator, type ReceiverCredentials, type SimulatedReceiver } from '@bousai/testing';
import { startApi, type ApiHarness, type Tenant } from '../support/api-harness';

// argon2 verifications and group-commit waits add up on a busy CI box; nothing here is a timer assertion
jest.setTimeout(30_000);

interface DeliveryRow {
  status: string;
  delivered_at: Date | null;
  device_delivered_at: Date | null;
  played_at: Date | null;
  device_play_started_at: Date | null;
  device_play_ended_at: Date | null;
  play_volume: number | null;
}

describe('receiver gateway (/receivers)', () => {
  let sut: ApiHarness;
  let yasugi: Tenant;
  let url: string;
  let areaId: string;
  let householdId: string;
  const sims: ReceiverSimulator[] = [];

  const api = async () => ['Authorization', `Bearer ${await sut.token(yasugi, Role.Operator)}`] as const;
  const m = () => `/v1/municipalities/${yasugi.municipalityId}`;

  /** A receiver provisioned through the API, as an operator would. */
  async function provision(): Promise<ReceiverCredentials & { id: string }> {
    const res = await sut.http
      .post(`${m()}/receivers`)
      .set(...(await api()))
      .send({ householdId });
    expect(res.status).toBe(201);
    return res.body as ReceiverCredentials & { id: string };
  }

  /**
   * A connected device. By default it does not answer alert callbacks: a delivery a test inserts just after the
   * connection may still be forwarded by store-and-forward, and must not be acknowledged behind the test's back.
   */
  async function online(
    creds: ReceiverCredentials,
    behaviour: Parameters<typeof ReceiverSimulator.start>[0]['behaviour'] = {},
  ): Promise<SimulatedReceiver> {
    const sim = await ReceiverSimulator.start({
      url,
      devices: [creds],
      behaviour: { ackMode: 'none', ...behaviour },
    });
    sims.push(sim);
    return sim.devices[0];
  }

  async function alert(
    overrides: {
      status?: string;
      expiresAt?: Date | null;
      texts?: object;
      severity?: string;
      evacuationMessage?: object;
    } = {},
  ): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, expires_at,
                          evacuation_message)
       VALUES ($1, 'operator', $2, $5, '{"all":true}', '{receiver}', $3, $4, $6) RETURNING id`,
      [
        yasugi.municipalityId,
        JSON.stringify(
          overrides.texts ?? {
            ja: { title: '避難指示', body: '荒島地区に避難指示。' },
            en: { title: 'Evacuate', body: 'Arashima: evacuate now.' },
          },
        ),
        overrides.status ?? 'dispatching',
        overrides.expiresAt === undefined ? new Date(Date.now() + 3_600_000) : overrides.expiresAt,
        overrides.severity ?? 'extreme',
        overrides.evacuationMessage ? JSON.stringify(overrides.evacuationMessage) : null,
      ],
    );
    return row.id;
  }

  async function delivery(
    alertId: string,
    endpointId: string,
    opts: { status?: string; language?: string } = {},
  ): Promise<string> {
    const [row] = await sut.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no, status, language)
       VALUES ($1, $2, 'receiver', 0, $3, $4) RETURNING id::text AS id`,
      [alertId, endpointId, opts.status ?? 'sent', opts.language ?? 'ja'],
    );
    return row.id;
  }

  async function row(deliveryId: string): Promise<DeliveryRow> {
    const [r] = await sut.db.dataSource.query<DeliveryRow[]>(
      `SELECT status, delivered_at, device_delivered_at, played_at, device_play_started_at,
              device_play_ended_at, play_volume
         FROM delivery WHERE id = $1`,
      [deliveryId],
    );
    return r;
  }

  beforeAll(async () => {
    sut = await startApi();
    yasugi = sut.tenants[0];
    await sut.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    const area = await sut.http
      .post(`${m()}/areas`)
      .set(...(await api()))
      .send({ code: '07', name: '荒島' });
    areaId = area.body.id as string;
    const hh = await sut.http
      .post(`${m()}/households`)
      .set(...(await api()))
      .send({ externalId: 'H-0001', areaId, address: '安来市荒島町1' });
    householdId = hh.body.id as string;
  });

  afterEach(() => {
    for (const s of sims.splice(0)) s.close();
  });

  afterAll(() => sut.close());

  it('refuses a wrong secret, an unknown serial, a missing auth, long-polling and a disabled receiver', async () => {
    const rx = await provision();
    const refusal = (creds: ReceiverCredentials) =>
      ReceiverSimulator.start({ url, devices: [creds] }).then(
        (sim) => {
          sim.close();
          throw new Error('connected');
        },
        (err: unknown) => err,
      );
    expect(await refusal({ serial: rx.serial, secret: 'rxs_wrong' })).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'Unknown serial or wrong secret',
    });
    expect(await refusal({ serial: 'RX-NOSUCHDEVICE', secret: rx.secret })).toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(await refusal({ serial: '', secret: '' })).toMatchObject({ code: 'AUTH_REQUIRED' });

    const polling = io(`${url}/receivers`, {
      transports: ['polling'],
      auth: { serial: rx.serial, secret: rx.secret },
      forceNew: true,
      reconnection: false,
    });
    const pollingError = await new Promise<{ message: string; data?: { code: string } }>((resolve) =>
      polling.once('connect_error', resolve),
    );
    polling.close();
    expect(pollingError.data).toEqual({ code: 'WEBSOCKET_REQUIRED' });

    const dead = await sut.http
      .patch(`${m()}/endpoints/${rx.id}`)
      .set(...(await api()))
      .send({ status: 'dead', deadReason: 'returned' });
    expect(dead.status).toBe(200);
    expect(await refusal(rx)).toMatchObject({ code: 'RECEIVER_DISABLED' });
  });

  it('accepts a provisioned receiver and records that it was seen', async () => {
    const rx = await provision();
    const device = await online(rx);
    expect(device.connected).toBe(true);
    // the proof of life is written by the group commit shortly after the connection
    let seen: Date | null = null;
    for (let i = 0; i < 100 && !seen; i++) {
      const [e] = await sut.db.dataSource.query<{ last_seen_at: Date | null }[]>(
        `SELECT last_seen_at FROM endpoint WHERE id = $1`,
        [rx.id],
      );
      seen = e.last_seen_at;
      if (!seen) await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toBeInstanceOf(Date);
  });

  it('answers an ack only once the delivered status is durable', async () => {
    const rx = await provision();
    const device = await online(rx);
    const id = await delivery(await alert(), rx.id);
    const deviceTime = new Date('2025-03-01T09:00:00.123Z');

    // hold the row: the group commit cannot write it, so the device must not hear back yet
    const lock = sut.db.dataSource.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query(`SELECT id FROM delivery WHERE id = $1 FOR UPDATE`, [id]);
    let replied = false;
    const reply = device.ack(id, deviceTime).then((r) => {
      replied = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(replied).toBe(false);
    await lock.rollbackTransaction();
    await lock.release();

    expect(await reply).toEqual({ ok: true });
    const r = await row(id);
    expect(r.status).toBe('delivered');
    expect(r.device_delivered_at).toEqual(deviceTime);
    expect(r.delivered_at).toBeInstanceOf(Date);
  });

  it('records played (鳴動確認) with the device times and the volume', async () => {
    const rx = await provision();
    const device = await online(rx);
    const id = await delivery(await alert(), rx.id);
    const startedAt = new Date('2025-03-01T09:00:02Z');
    const endedAt = new Date('2025-03-01T09:00:12Z');

    expect(await device.played(id, startedAt, endedAt, 65)).toEqual({ ok: true });

    const r = await row(id);
    expect(r).toMatchObject({
      status: 'played',
      device_play_started_at: startedAt,
      device_play_ended_at: endedAt,
      play_volume: 65,
    });
    expect(r.played_at).toBeInstanceOf(Date);
    // played implies it arrived; the server time of that is known, the device's is not
    expect(r.delivered_at).toBeInstanceOf(Date);
    expect(r.device_delivered_at).toBeNull();
  });

  it('updates battery, signal, firmware and last_seen_at from heartbeats, and rejects malformed ones', async () => {
    const rx = await provision();
    const device = await online(rx);
    const before = new Date();

    expect(await device.heartbeat({ battery: 42, signal: -95, firmware: 'v2.3.1' })).toEqual({ ok: true });

    const [e] = await sut.db.dataSource.query(
      `SELECT battery_percent, signal_dbm, firmware, last_seen_at FROM endpoint WHERE id = $1`,
      [rx.id],
    );
    expect(e).toMatchObject({ battery_percent: 42, signal_dbm: -95, firmware: 'v2.3.1' });
    expect((e.last_seen_at as Date).getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);

    // every field is optional, the payload too
    expect(await device.send('heartbeat', undefined)).toEqual({ ok: true });

    const bad = await device.heartbeat({ battery: 180 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((bad as { error: { message: string } }).error.message).toMatch(/battery/);
  });

  it('forwards the alerts a receiver missed while offline when it reconnects, and takes its queued acks with their original times', async () => {
    const rx = await provision();
    const device = await online(rx);
    const heardBefore = await delivery(await alert(), rx.id);
    device.goOffline();

    const missed = await delivery(await alert(), rx.id, { language: 'en' });
    const missedNoText = await delivery(await alert(), rx.id, { language: 'vi' });
    const notOwed = [
      await delivery(await alert({ status: 'cancelled' }), rx.id),
      await delivery(await alert({ status: 'closed' }), rx.id),
      await delivery(await alert({ expiresAt: new Date(Date.now() - 1_000) }), rx.id),
      await delivery(await alert(), rx.id, { status: 'delivered' }),
    ];
    // it had heard this one before the power cut but could not confirm it: the ack waits in its queue
    const heardAt = new Date(Date.now() - 60_000);
    expect(await device.ack(heardBefore, heardAt)).toBeUndefined();
    expect(device.queue).toHaveLength(1);

    device.behaviour = { ...device.behaviour, ackMode: 'callback' };
    await device.goOnline();
    const sim = sims[sims.length - 1];
    const got = () => device.received.map((a) => a.deliveryId);
    await sim.waitUntil(
      () => got().includes(missed) && got().includes(missedNoText) && device.confirmed.ack.has(heardBefore),
    );

    // oldest first; `heardBefore` itself may come again if the queued ack lost the race with the forwarding
    expect(got().filter((id) => id !== heardBefore)).toEqual([missed, missedNoText]);
    for (const id of notOwed) expect(got()).not.toContain(id);
    const [english, fallback] = device.received.filter((a) => a.deliveryId !== heardBefore);
    expect(english).toMatchObject({
      language: 'en',
      title: 'Evacuate',
      severity: 'extreme',
      isDrill: false,
    });
    // no Vietnamese text: English, the first of a Vietnamese reader's fallbacks the alert has
    expect(fallback).toMatchObject({ language: 'en', title: 'Evacuate' });
    expect((await row(heardBefore)).device_delivered_at).toEqual(heardAt);

    // the callback answers of the forwarded alerts are recorded too
    for (let i = 0; i < 100 && (await row(missed)).status !== 'delivered'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await row(missed)).status).toBe('delivered');
    expect((await row(missedNoText)).device_delivered_at).toBeInstanceOf(Date);
  });

  it('plays a Level 4 order with its lead-in said twice at emergency priority, other alerts by severity (§3.1)', async () => {
    const rx = await provision();
    const device = await online(rx);
    device.goOffline();
    const order = await delivery(
      await alert({
        texts: {
          ja: {
            title: '【警戒レベル４】避難指示（洪水）',
            body: '荒島地区に洪水に関する警戒レベル４、避難指示を発令しました。',
          },
        },
        evacuationMessage: { kind: 'issue', level: 4 },
      }),
      rx.id,
    );
    const lifted = await delivery(
      await alert({ severity: 'minor', evacuationMessage: { kind: 'lift', level: 4 } }),
      rx.id,
      { language: 'en' },
    );
    const advisory = await delivery(await alert({ severity: 'severe' }), rx.id);
    const notice = await delivery(await alert({ severity: 'moderate' }), rx.id);

    device.behaviour = { ...device.behaviour, ackMode: 'callback' };
    await device.goOnline();
    const sim = sims[sims.length - 1];
    const byId = (id: string) => device.received.find((a) => a.deliveryId === id);
    await sim.waitUntil(() => [order, lifted, advisory, notice].every((id) => byId(id)));

    const level4 = byId(order)!;
    expect(level4).toMatchObject({
      language: 'ja',
      priority: 'emergency',
      leadIn: '緊急放送、緊急放送、警戒レベル４、避難開始。',
      leadInRepeat: 2,
      title: '【警戒レベル４】避難指示（洪水）',
    });
    // what the device says before the title
    expect(level4.leadIn!.repeat(level4.leadInRepeat)).toBe(
      '緊急放送、緊急放送、警戒レベル４、避難開始。緊急放送、緊急放送、警戒レベル４、避難開始。',
    );
    expect(byId(lifted)).toMatchObject({
      language: 'en',
      priority: 'normal',
      leadIn: 'An evacuation notice has been lifted.',
      leadInRepeat: 1,
    });
    expect(byId(advisory)).toMatchObject({ priority: 'urgent', leadIn: null, leadInRepeat: 1 });
    expect(byId(notice)).toMatchObject({ priority: 'normal', leadIn: null, leadInRepeat: 1 });
  });

  it('treats repeated acks as no-ops and never moves a status backwards', async () => {
    const rx = await provision();
    const other = await provision();
    const device = await online(rx);
    const alertId = await alert();
    const id = await delivery(alertId, rx.id);
    const first = new Date('2025-03-01T09:00:00Z');

    expect(await device.ack(id, first)).toEqual({ ok: true });
    expect(await device.ack(id, new Date('2025-03-01T09:05:00Z'))).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ status: 'delivered', device_delivered_at: first });

    await device.played(id, new Date('2025-03-01T09:00:01Z'), new Date('2025-03-01T09:00:05Z'), 70);
    expect(await device.ack(id, new Date('2025-03-01T09:10:00Z'))).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ status: 'played', device_delivered_at: first, play_volume: 70 });

    // failed and cancelled are final
    const failed = await delivery(await alert(), rx.id, { status: 'failed' });
    const cancelled = await delivery(await alert(), rx.id, { status: 'cancelled' });
    await Promise.all([device.ack(failed), device.played(cancelled, new Date(), new Date())]);
    expect(await row(failed)).toMatchObject({ status: 'failed', delivered_at: null });
    expect(await row(cancelled)).toMatchObject({ status: 'cancelled', played_at: null });

    // another receiver's delivery is not this one's to acknowledge
    const theirs = await delivery(alertId, other.id);
    // every failure carries `details`, like the api's error bodies (null when there is nothing to add)
    expect(await device.ack(theirs)).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_DELIVERY', message: expect.any(String), details: null },
    });
    expect((await row(theirs)).status).toBe('sent');
    expect(await device.send('ack', { deliveryId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('answers a flooding connection RATE_LIMITED, while another receiver still gets its answers', async () => {
    const flooder = await online(await provision(), { replyTimeoutMs: 120_000 });
    const rx = await provision();
    const device = await online(rx);
    const id = await delivery(await alert(), rx.id);

    // 10k heartbeats at once, without waiting for answers (the protocol asks a device to wait)
    const flood = Promise.all(Array.from({ length: 10_000 }, () => flooder.heartbeat()));
    expect(await device.ack(id)).toEqual({ ok: true });
    expect((await row(id)).status).toBe('delivered');

    const replies = await flood;
    const limited = replies.filter((r) => r?.ok === false && r.error.code === ReceiverErrorCode.RateLimited);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ error: { details: { maxPendingReports: 500 } } });
    expect(replies.every((r) => r?.ok === true || r?.error.code === ReceiverErrorCode.RateLimited)).toBe(
      true,
    );
    // the flooder is throttled, not cut off: once its answers came, it may report again
    expect(await flooder.heartbeat()).toEqual({ ok: true });
  });

  it('takes a batch of acks and played reports in one `reports` event, answering each report in order', async () => {
    const rx = await provision();
    const other = await provision();
    const device = await online(rx);
    const alertId = await alert();
    const [acked, sounded, theirs] = [
      await delivery(alertId, rx.id),
      await delivery(await alert(), rx.id),
      await delivery(alertId, other.id),
    ];
    const receivedAt = new Date('2025-03-01T09:00:00.250Z');
    const startedAt = new Date('2025-03-01T09:00:01Z');

    const reply = await device.send('reports', {
      reports: [
        { type: 'ack', deliveryId: acked, receivedAt: receivedAt.toISOString() },
        { type: 'played', deliveryId: sounded, startedAt: startedAt.getTime(), volume: 55 },
        { type: 'ack', deliveryId: theirs, receivedAt: receivedAt.toISOString() },
        { type: 'played', deliveryId: sounded, volume: 300 },
        { type: 'shout', deliveryId: acked },
      ],
    });

    expect(reply).toMatchObject({
      ok: true,
      results: [
        { ok: true },
        { ok: true },
        { ok: false, error: { code: 'UNKNOWN_DELIVERY' } },
        { ok: false, error: { code: 'VALIDATION_FAILED' } },
        { ok: false, error: { code: 'VALIDATION_FAILED' } },
      ],
    });
    const invalid = (reply as unknown as { results: { error?: { message: string } }[] }).results[3].error;
    expect(invalid?.message).toMatch(/startedAt/);
    expect(invalid?.message).toMatch(/volume/);
    expect(await row(acked)).toMatchObject({ status: 'delivered', device_delivered_at: receivedAt });
    expect(await row(sounded)).toMatchObject({
      status: 'played',
      device_play_started_at: startedAt,
      play_volume: 55,
    });
    expect((await row(theirs)).status).toBe('sent');

    // the envelope itself: a list of 1 to 500 reports
    for (const bad of [{}, { reports: [] }, { reports: 'ack' }]) {
      expect(await device.send('reports', bad)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    const tooMany = Array.from({ length: 501 }, () => ({ type: 'ack', deliveryId: acked, receivedAt: 0 }));
    expect(await device.send('reports', { reports: tooMany })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('flushes an outbox queued while offline as `reports` events when it reconnects', async () => {
    const rx = await provision();
    const device = await online(rx);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await delivery(await alert(), rx.id));
    device.goOffline();
    const heardAt = new Date(Date.now() - 120_000);
    for (const id of ids) expect(await device.ack(id, heardAt)).toBeUndefined();
    expect(device.queue).toHaveLength(60);

    // the same alerts come again by store-and-forward; their callbacks are answered too, and the earliest receipt
    // (the queued one) is what stays
    device.behaviour = { ...device.behaviour, ackMode: 'callback' };
    await device.goOnline();
    const sim = sims[sims.length - 1];
    await sim.waitUntil(() => ids.every((id) => device.confirmed.ack.has(id)));

    expect(device.queue).toHaveLength(0);
    const rows = await sut.db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM delivery WHERE id = ANY ($1::bigint[]) AND device_delivered_at = $2`,
      [ids, heardAt],
    );
    expect(rows[0].n).toBe(60);
  });

  it('keeps one live connection per receiver: a reconnect replaces the old session', async () => {
    const rx = await provision();
    const stale = await online(rx, { reconnectDelayMs: 60_000 });
    const fresh = await online(rx);
    const sim = sims[sims.length - 2];
    await sim.waitUntil(() => !stale.connected, 5_000);
    expect(fresh.connected).toBe(true);
  });
});
