import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

interface View {
  alertId: string;
  status: string;
  byChannel: Record<string, Record<string, number>>;
  totals: Record<string, number>;
  rates: { reached: number; confirmed: number; failed: number };
  safety: Record<string, { asked: number; answered: number; rate: number; byAnswer: Record<string, number> }>;
}

describe('live operator view (/operators and its REST snapshot)', () => {
  let sut: ApiHarness;
  let url: string;
  let alertId: string;
  let otherAlertId: string;
  const sockets: Socket[] = [];

  async function seedAlert(municipalityId: string, n: number): Promise<string> {
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    const [{ id: hh }] = await q(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, gen_random_uuid()::text, '住所')
       RETURNING id`,
      [municipalityId],
    );
    const [{ id }] = await q(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, dispatched_at)
       VALUES ($1, 'operator', '{"ja": {"title": "避難指示", "body": "避難"}}', 'extreme', '{"all": true}',
               '{fcm,receiver}', 'dispatching', now()) RETURNING id`,
      [municipalityId],
    );
    await q(
      `WITH e AS (
         INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
         SELECT $1, $2, CASE WHEN i % 4 = 0 THEN 'receiver' ELSE 'fcm' END, gen_random_uuid()::text,
                CASE WHEN i % 4 = 0 THEN 'sha256:x' END
           FROM generate_series(1, $4::int) i RETURNING id, channel)
       INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) SELECT $3, id, channel, 0 FROM e`,
      [municipalityId, hh, id, n],
    );
    return id;
  }

  function connect(token: unknown): Promise<Socket> {
    const socket = io(`${url}/operators`, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  beforeAll(async () => {
    sut = await startApi({ LIVE_PUSH_INTERVAL_MS: '500' });
    await sut.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(sut.app.getHttpServer().address() as AddressInfo).port}`;
    alertId = await seedAlert(sut.tenants[0].municipalityId, 400);
    otherAlertId = await seedAlert(sut.tenants[1].municipalityId, 10);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sut.close();
  });

  it('refuses a connection without a token or with a forged one', async () => {
    await expect(connect(undefined)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    await expect(connect('eyJhbGciOiJIUzI1NiJ9.e30.forged')).rejects.toMatchObject({
      data: { code: 'TOKEN_INVALID' },
    });
  });

  it('answers watch with the counters and pushes each change, matching a count of the deliveries', async () => {
    const socket = await connect(await sut.token(sut.tenants[0], Role.Viewer));
    const first = (await socket.emitWithAck('watch', { alertId })) as { ok: boolean; counters: View };
    expect(first.ok).toBe(true);
    expect(first.counters.byChannel).toEqual({ fcm: { queued: 300 }, receiver: { queued: 100 } });
    expect(first.counters.totals.planned).toBe(400);

    const pushed: View[] = [];
    socket.on('counters', (v: View) => pushed.push(v));
    // a batch's outcomes, then device acknowledgements, as the fan-out and the receivers would write them
    await sut.db.dataSource.query(
      `UPDATE delivery SET status = CASE WHEN channel = 'fcm' THEN 'sent' ELSE 'delivered' END
        WHERE alert_id = $1 AND id % 2 = 0`,
      [alertId],
    );
    const expected = async () => {
      const rows = await sut.db.dataSource.query<{ channel: string; status: string; n: number }[]>(
        `SELECT channel, status, count(*)::int AS n FROM delivery WHERE alert_id = $1 GROUP BY 1, 2`,
        [alertId],
      );
      const out: Record<string, Record<string, number>> = {};
      for (const r of rows) (out[r.channel] ??= {})[r.status] = r.n;
      return out;
    };
    const want = await expected();
    await waitFor(() => pushed.some((v) => canonical(v.byChannel) === canonical(want)));
    const last = pushed.at(-1)!;
    expect(last.alertId).toBe(alertId);
    expect(last.rates.reached).toBe(0.5);
    expect(last.rates.confirmed).toBe(Math.round(((want.receiver?.delivered ?? 0) / 400) * 10_000) / 10_000);

    // nothing changed: nothing more is pushed
    const count = pushed.length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(pushed.length).toBe(count);

    const rest = await sut.http
      .get(`/v1/municipalities/${sut.tenants[0].municipalityId}/alerts/${alertId}/live`)
      .set('Authorization', `Bearer ${await sut.token(sut.tenants[0], Role.Viewer)}`);
    expect(rest.status).toBe(200);
    expect(rest.body.byChannel).toEqual(want);
  });

  it('pushes safety confirmation per group as answers arrive, equal to a count of the requests', async () => {
    const q = sut.db.dataSource.query.bind(sut.db.dataSource);
    const mid = sut.tenants[0].municipalityId;
    await q(
      `WITH r AS (
         INSERT INTO resident (municipality_id, external_id, name, needs_assistance)
         SELECT $1, 'live-' || i, '住民', i % 5 = 0 FROM generate_series(1, 60) i RETURNING id, needs_assistance)
       INSERT INTO safety_request (alert_id, resident_id, target_group)
       SELECT $2, id, CASE WHEN needs_assistance THEN 'needs_assistance' ELSE 'everyone' END FROM r`,
      [mid, alertId],
    );
    const socket = await connect(await sut.token(sut.tenants[0], Role.Viewer));
    const pushed: View[] = [];
    socket.on('counters', (v: View) => pushed.push(v));
    await socket.emitWithAck('watch', { alertId });
    await q(
      `UPDATE safety_request SET current_status = CASE WHEN target_group = 'everyone' THEN 'safe' ELSE 'need_help' END,
              answered_at = now()
        WHERE alert_id = $1 AND resident_id IN (SELECT id FROM resident WHERE external_id LIKE 'live-%'
                                                  AND substring(external_id from 6)::int % 3 = 0)`,
      [alertId],
    );
    const counts = await q(
      `SELECT target_group AS g, count(*)::int AS asked, count(current_status)::int AS answered
         FROM safety_request WHERE alert_id = $1 GROUP BY 1`,
      [alertId],
    );
    const want = Object.fromEntries(
      (counts as { g: string; asked: number; answered: number }[]).map((c) => [c.g, [c.asked, c.answered]]),
    );
    await waitFor(() =>
      pushed.some((v) =>
        Object.entries(want).every(([g, [asked, answered]]) => {
          const got = v.safety[g];
          return got?.asked === asked && got.answered === answered;
        }),
      ),
    );
    const last = pushed.at(-1)!;
    expect(last.safety.needs_assistance.byAnswer).toEqual({ need_help: want.needs_assistance[1] });
    expect(last.safety.everyone.rate).toBe(
      Math.round((want.everyone[1] / want.everyone[0]) * 10_000) / 10_000,
    );
  });

  it("will not show another municipality's alert", async () => {
    const socket = await connect(await sut.token(sut.tenants[0], Role.Operator));
    expect(await socket.emitWithAck('watch', { alertId: otherAlertId })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `No alert ${otherAlertId} in your municipality`, details: null },
    });
    expect(await socket.emitWithAck('watch', { alertId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const rest = await sut.http
      .get(`/v1/municipalities/${sut.tenants[0].municipalityId}/alerts/${otherAlertId}/live`)
      .set('Authorization', `Bearer ${await sut.token(sut.tenants[0], Role.Operator)}`);
    expect(rest.status).toBe(404);
  });
});

/** JSON with keys sorted at every level, to compare counters whatever order they were built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
