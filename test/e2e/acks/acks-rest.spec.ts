import { signDeliveryAckToken } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';
import { seedAlert, seedDeliveries, seedResidents, type SeededResident } from './support/ack-seed';

// group-commit waits (≤100 ms each) add up on a busy CI box; nothing here is a timer assertion
jest.setTimeout(60_000);

const ACK_TOKEN_SECRET = 'e2e-ack-token-secret-0123456789-abcdef';

interface Row {
  status: string;
  delivered_at: Date | null;
  device_delivered_at: Date | null;
  read_at: Date | null;
  device_read_at: Date | null;
}

interface AckResult {
  deliveryId: string;
  stage: string;
  recorded: boolean;
  status?: string;
  error?: { code: string };
}

describe('delivery acknowledgements over REST (/v1/acks)', () => {
  let sut: ApiHarness;
  let municipalityId: string;
  let me: SeededResident;
  let other: SeededResident;

  const ack = (body: object, credential = me.credential) =>
    sut.http.post('/v1/acks').set('Authorization', `Bearer ${credential}`).send(body);
  const signed = (body: object) => sut.http.post('/v1/acks/signed').send(body);
  const token = (deliveryId: string, expiresAt = Date.now() + 3_600_000, secret = ACK_TOKEN_SECRET) =>
    signDeliveryAckToken({ deliveryId, expiresAt }, secret);

  async function rows(ids: readonly string[]): Promise<Map<string, Row>> {
    const found = await sut.db.dataSource.query<(Row & { id: string })[]>(
      `SELECT id::text AS id, status, delivered_at, device_delivered_at, read_at, device_read_at
         FROM delivery WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    return new Map(found.map((r) => [r.id, r]));
  }
  const row = async (id: string) => (await rows([id])).get(id)!;

  /** A fresh delivery to one of `owner`'s endpoints (one alert per call keeps tests apart). */
  async function delivery(owner = me, status = 'sent'): Promise<string> {
    const alertId = await seedAlert(sut.db.dataSource, municipalityId);
    const [id] = await seedDeliveries(sut.db.dataSource, alertId, [owner.endpointIds[0]], { status });
    return id;
  }

  beforeAll(async () => {
    sut = await startApi({ ACK_TOKEN_SECRET });
    municipalityId = sut.tenants[0].municipalityId;
    [me, other] = await seedResidents(sut.db.dataSource, municipalityId, 2, { endpointsPerResident: 20 });
  });
  afterAll(() => sut.close());

  it('answers each request only once its acks are durable (checked the moment every 200 arrives)', async () => {
    const alertId = await seedAlert(sut.db.dataSource, municipalityId);
    const ids = await seedDeliveries(sut.db.dataSource, alertId, me.endpointIds);
    const deviceAt = '2026-11-24T09:00:00.123Z';
    // 20 concurrent requests of one ack each, then one of all 20 as `read`: several share a group commit
    const checks = ids.map(async (deliveryId) => {
      const res = await ack({ acks: [{ deliveryId, stage: 'delivered', deviceAt }] });
      const stored = await row(deliveryId);
      return { res, stored };
    });
    for (const { res, stored } of await Promise.all(checks)) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ recorded: 1, results: [expect.objectContaining({ recorded: true })] });
      expect(stored.status).toBe('delivered');
      expect(stored.delivered_at).toBeInstanceOf(Date);
      expect(stored.device_delivered_at?.toISOString()).toBe(deviceAt);
    }
    const read = await ack({ acks: ids.map((deliveryId) => ({ deliveryId, stage: 'read' })) });
    const after = await rows(ids);
    expect(read.status).toBe(200);
    expect(read.body.recorded).toBe(ids.length);
    expect((read.body.results as AckResult[]).map((r) => r.status)).toEqual(ids.map(() => 'read'));
    for (const id of ids) {
      expect(after.get(id)?.status).toBe('read');
      expect(after.get(id)?.read_at).toBeInstanceOf(Date);
    }
    // the delivery row is the record of an ack: no audit row (and no extra commit) per request
    const [{ audited }] = await sut.db.dataSource.query<{ audited: number }[]>(
      `SELECT count(*)::int AS audited FROM audit_log WHERE action LIKE 'Acks.%'`,
    );
    expect(audited).toBe(0);
  });

  it('is idempotent: repeats are recorded again as no-ops and keep the first server time and earliest device time', async () => {
    const id = await delivery();
    const first = await ack({
      acks: [{ deliveryId: id, stage: 'delivered', deviceAt: '2026-11-24T09:00:05Z' }],
    });
    expect(first.status).toBe(200);
    const before = await row(id);
    const later = await ack({
      acks: [{ deliveryId: id, stage: 'delivered', deviceAt: '2026-11-24T09:00:09Z' }],
    });
    const again = await ack({ acks: [{ deliveryId: id, stage: 'delivered' }] });
    const earlier = await ack({
      acks: [{ deliveryId: id, stage: 'delivered', deviceAt: '2026-11-24T09:00:01Z' }],
    });
    for (const res of [later, again, earlier]) {
      expect(res.status).toBe(200);
      expect(res.body.results[0]).toEqual({
        deliveryId: id,
        stage: 'delivered',
        recorded: true,
        status: 'delivered',
      });
    }
    const after = await row(id);
    expect(after.delivered_at).toEqual(before.delivered_at);
    // the first receipt is when the alert reached the device (an answer may have been lost and resent)
    expect(after.device_delivered_at?.toISOString()).toBe('2026-11-24T09:00:01.000Z');

    // the same delivery twice in one request (and so in one group commit): folded, both stages kept
    const twice = await delivery();
    const both = await ack({
      acks: [
        { deliveryId: twice, stage: 'read', deviceAt: '2026-11-24T09:01:00Z' },
        { deliveryId: twice, stage: 'delivered', deviceAt: '2026-11-24T09:00:30Z' },
        { deliveryId: twice, stage: 'read', deviceAt: '2026-11-24T09:02:00Z' },
      ],
    });
    expect(both.status).toBe(200);
    expect(both.body.recorded).toBe(3);
    const folded = await row(twice);
    expect(folded.status).toBe('read');
    expect(folded.device_delivered_at?.toISOString()).toBe('2026-11-24T09:00:30.000Z');
    expect(folded.device_read_at?.toISOString()).toBe('2026-11-24T09:01:00.000Z');
    expect(folded.delivered_at).toBeInstanceOf(Date);
    expect(folded.read_at).toBeInstanceOf(Date);
  });

  it('moves stages forward only: a late `delivered` never undoes `read`, a final status never changes', async () => {
    const read = await delivery();
    await ack({ acks: [{ deliveryId: read, stage: 'read', deviceAt: '2026-11-24T09:05:00Z' }] });
    const readRow = await row(read);
    expect(readRow.status).toBe('read');
    // a read implies the alert arrived: the server time of receipt is filled, the device's stays unknown
    expect(readRow.delivered_at).toEqual(readRow.read_at);
    expect(readRow.device_delivered_at).toBeNull();
    const late = await ack({
      acks: [{ deliveryId: read, stage: 'delivered', deviceAt: '2026-11-24T09:04:00Z' }],
    });
    expect(late.body.results[0]).toMatchObject({ recorded: true, status: 'read' });
    const afterLate = await row(read);
    expect(afterLate.status).toBe('read');
    expect(afterLate.read_at).toEqual(readRow.read_at);
    expect(afterLate.delivered_at).toEqual(readRow.delivered_at);
    // the device's own receipt time was still missing, so the late ack fills it
    expect(afterLate.device_delivered_at?.toISOString()).toBe('2026-11-24T09:04:00.000Z');

    for (const final of ['cancelled', 'failed', 'expired']) {
      const id = await delivery(me, final);
      const res = await ack({ acks: [{ deliveryId: id, stage: 'read' }] });
      expect(res.body.results[0]).toMatchObject({ recorded: true, status: final });
      expect(await row(id)).toMatchObject({
        status: final,
        delivered_at: null,
        device_delivered_at: null,
        read_at: null,
        device_read_at: null,
      });
    }

    const queued = await delivery(me, 'queued');
    const res = await ack({ acks: [{ deliveryId: queued, stage: 'delivered' }] });
    expect(res.body.results[0]).toMatchObject({ recorded: true, status: 'delivered' });
  });

  it("refuses a resident's acks for deliveries that are not theirs, without touching them", async () => {
    const theirs = await delivery(other);
    const mine = await delivery(me);
    const res = await ack({
      acks: [
        { deliveryId: theirs, stage: 'read' },
        { deliveryId: mine, stage: 'delivered' },
        { deliveryId: '999999999999', stage: 'delivered' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.recorded).toBe(1);
    expect((res.body.results as AckResult[]).map((r) => [r.recorded, r.error?.code ?? r.status])).toEqual([
      [false, 'NOT_FOUND'],
      [true, 'delivered'],
      [false, 'NOT_FOUND'],
    ]);
    expect((await row(theirs)).status).toBe('sent');
    expect((await row(theirs)).read_at).toBeNull();
    // the owner's own ack of the same delivery in the same group commit is not disturbed by the refused one
    const [a, b] = await Promise.all([
      ack({ acks: [{ deliveryId: theirs, stage: 'read' }] }),
      ack({ acks: [{ deliveryId: theirs, stage: 'delivered' }] }, other.credential),
    ]);
    expect(a.body.results[0].recorded).toBe(false);
    expect(b.body.results[0]).toMatchObject({ recorded: true, status: 'delivered' });
    expect((await row(theirs)).status).toBe('delivered');
  });

  describe('resident credentials, checked together for concurrent requests', () => {
    const credentialHash = `encode(sha256(convert_to($1, 'UTF8')), 'hex')`;
    const lastUsed = async (credential: string): Promise<Date | null> => {
      const [found] = await sut.db.dataSource.query<{ last_used_at: Date | null }[]>(
        `SELECT last_used_at FROM resident_credential WHERE token_hash = ${credentialHash}`,
        [credential],
      );
      return found.last_used_at;
    };

    it('answers each request by its own credential: the unknown and the revoked refused, the rest as their holder', async () => {
      const [a, b, gone] = await seedResidents(sut.db.dataSource, municipalityId, 3);
      await sut.db.dataSource.query(
        `UPDATE resident_credential SET revoked_at = now() WHERE token_hash = ${credentialHash}`,
        [gone.credential],
      );
      const alertId = await seedAlert(sut.db.dataSource, municipalityId);
      const [ofA, ofB, ofGone] = await seedDeliveries(sut.db.dataSource, alertId, [
        a.endpointIds[0],
        b.endpointIds[0],
        gone.endpointIds[0],
      ]);
      const one = (deliveryId: string, stage = 'delivered') => ({ acks: [{ deliveryId, stage }] });
      const answers = await Promise.all([
        ack(one(ofA), a.credential),
        ack(one(ofB), b.credential),
        ack(one(ofGone), gone.credential),
        ack(one(ofA, 'read'), 'rc_not_a_credential'),
        // a valid credential still only acks its holder's own deliveries
        ack(one(ofB, 'read'), a.credential),
      ]);
      expect(answers.map((r) => [r.status, r.body.recorded ?? r.body.error?.code])).toEqual([
        [200, 1],
        [200, 1],
        [401, 'TOKEN_INVALID'],
        [401, 'TOKEN_INVALID'],
        [200, 0],
      ]);
      const after = await rows([ofA, ofB, ofGone]);
      expect([ofA, ofB, ofGone].map((id) => after.get(id)?.status)).toEqual([
        'delivered',
        'delivered',
        'sent',
      ]);
      expect(await lastUsed(a.credential)).toBeInstanceOf(Date);
      expect(await lastUsed(b.credential)).toBeInstanceOf(Date);
      expect(await lastUsed(gone.credential)).toBeNull();
    });

    it('refreshes last_used_at when it is a minute old or more, and leaves a fresher one alone', async () => {
      const [holder] = await seedResidents(sut.db.dataSource, municipalityId, 1);
      const setLastUsed = (ago: string) =>
        sut.db.dataSource.query(
          `UPDATE resident_credential SET last_used_at = now() - $2::interval WHERE token_hash = ${credentialHash}`,
          [holder.credential, ago],
        );
      const ackOne = async () => {
        const alertId = await seedAlert(sut.db.dataSource, municipalityId);
        const [id] = await seedDeliveries(sut.db.dataSource, alertId, [holder.endpointIds[0]]);
        expect(
          (await ack({ acks: [{ deliveryId: id, stage: 'delivered' }] }, holder.credential)).status,
        ).toBe(200);
      };

      await setLastUsed('2 minutes');
      const stale = await lastUsed(holder.credential);
      await ackOne();
      const refreshed = await lastUsed(holder.credential);
      expect(refreshed!.getTime()).toBeGreaterThan(stale!.getTime());

      await setLastUsed('30 seconds');
      const fresh = await lastUsed(holder.credential);
      await ackOne();
      expect(await lastUsed(holder.credential)).toEqual(fresh);
    });
  });

  it('needs a valid resident credential and a well-formed body', async () => {
    const id = await delivery();
    expect((await sut.http.post('/v1/acks').send({ acks: [{ deliveryId: id, stage: 'read' }] })).status).toBe(
      401,
    );
    const revoked = await ack({ acks: [{ deliveryId: id, stage: 'read' }] }, 'rc_not_a_credential');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('TOKEN_INVALID');
    for (const body of [
      {},
      { acks: [] },
      { acks: [{ deliveryId: id, stage: 'played' }] },
      { acks: [{ deliveryId: 'abc', stage: 'read' }] },
      { acks: [{ deliveryId: '99999999999999999999', stage: 'read' }] },
      { acks: [{ deliveryId: '9223372036854775808', stage: 'read' }] },
      { acks: [{ deliveryId: id, stage: 'read', deviceAt: 'yesterday' }] },
      // no device clock's honest reading: refused up front
      { acks: [{ deliveryId: id, stage: 'read', deviceAt: '0000-01-01T00:00:00Z' }] },
      { acks: Array.from({ length: 501 }, () => ({ deliveryId: id, stage: 'read' })) },
    ]) {
      const res = await ack(body);
      expect([res.status, res.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await row(id)).status).toBe('sent');
  });

  describe('by signed per-delivery token (/v1/acks/signed)', () => {
    it('records the delivery the token names, durably before the answer, and idempotently', async () => {
      const id = await delivery(other);
      const res = await signed({ token: token(id), stage: 'delivered', deviceAt: '2026-11-24T09:10:00Z' });
      const stored = await row(id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ deliveryId: id, stage: 'delivered', recorded: true, status: 'delivered' });
      expect(stored.status).toBe('delivered');
      expect(stored.device_delivered_at?.toISOString()).toBe('2026-11-24T09:10:00.000Z');
      const read = await signed({ token: token(id), stage: 'read' });
      const readAt = (await row(id)).read_at;
      const again = await signed({ token: token(id), stage: 'read' });
      expect([read.status, again.status]).toEqual([200, 200]);
      expect(again.body.status).toBe('read');
      expect(readAt).toBeInstanceOf(Date);
      expect((await row(id)).read_at).toEqual(readAt);
    });

    it('refuses forged, altered and expired tokens with 401 and a code, and touches nothing', async () => {
      const id = await delivery(other);
      const neighbour = await delivery(other);
      const good = token(id);
      const [payload, mac] = good.split('.');
      const neighbourPayload = token(neighbour).split('.')[0];
      const cases: [string, string][] = [
        [token(id, Date.now() + 3_600_000, 'another-secret-0123456789-0123456789-abc'), 'TOKEN_INVALID'],
        // another delivery's claims under this token's MAC
        [`${neighbourPayload}.${mac}`, 'TOKEN_INVALID'],
        // a later expiry under the old MAC
        [`${Buffer.from(`${id}\n${Date.now() + 9e9}`).toString('base64url')}.${mac}`, 'TOKEN_INVALID'],
        [`${payload}.${mac.slice(0, -4)}AAAA`, 'TOKEN_INVALID'],
        ['garbage', 'TOKEN_INVALID'],
        [token(id, Date.now() - 1), 'TOKEN_EXPIRED'],
      ];
      for (const [forged, code] of cases) {
        const res = await signed({ token: forged, stage: 'read' });
        expect([res.status, res.body.error?.code]).toEqual([401, code]);
      }
      expect((await row(id)).status).toBe('sent');
      expect((await row(neighbour)).status).toBe('sent');
    });

    it('answers 404 with a code for a delivery that no longer exists, 400 for a malformed body', async () => {
      const id = await delivery(other);
      await sut.db.dataSource.query(`DELETE FROM delivery WHERE id = $1`, [id]);
      const res = await signed({ token: token(id), stage: 'read' });
      expect([res.status, res.body.error?.code]).toEqual([404, 'NOT_FOUND']);
      const bad = await signed({ token: token(id), stage: 'sent' });
      expect([bad.status, bad.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
      const past = await signed({ token: token(id), stage: 'read', deviceAt: '0000-12-31T23:59:59Z' });
      expect([past.status, past.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  it('answers alike whether a request is served before express or by the Nest route', async () => {
    // the usual request is served before express (DeviceFastPath); the same JSON after a space goes through
    // express and the Nest route (docs/performance.md, "One ack per request")
    const both = async (url: string, body: object, credential?: string) => {
      const send = (text: string) => {
        const req = sut.http.post(url).set('Content-Type', 'application/json');
        return (credential ? req.set('Authorization', `Bearer ${credential}`) : req).send(text);
      };
      const [fast, routed] = [await send(JSON.stringify(body)), await send(` ${JSON.stringify(body)}`)];
      return [fast, routed].map((r) => [r.status, r.body as unknown]);
    };
    const [mine, gone] = [await delivery(), await delivery()];
    await sut.db.dataSource.query(`DELETE FROM delivery WHERE id = $1`, [gone]);
    const cases: [string, object, string?][] = [
      ['/v1/acks', { acks: [{ deliveryId: mine, stage: 'delivered' }] }, me.credential],
      [
        '/v1/acks',
        { acks: [{ deliveryId: mine, stage: 'read', deviceAt: '2026-11-24T09:00:00+09:00' }] },
        me.credential,
      ],
      ['/v1/acks', { acks: [{ deliveryId: gone, stage: 'read' }] }, me.credential],
      ['/v1/acks', { acks: [{ deliveryId: '9223372036854775808', stage: 'read' }] }, me.credential],
      ['/v1/acks', { acks: [{ deliveryId: mine, stage: 'read' }] }, 'rc_not_a_credential'],
      ['/v1/acks', { acks: [{ deliveryId: mine, stage: 'read' }] }],
      ['/v1/acks/signed', { token: token(mine), stage: 'read' }],
      ['/v1/acks/signed', { token: token(gone), stage: 'read' }],
      ['/v1/acks/signed', { token: token(mine, Date.now() - 1), stage: 'read' }],
      ['/v1/acks/signed', { token: 'garbage', stage: 'read' }],
    ];
    const answers = [];
    for (const [url, body, credential] of cases) {
      const [fast, routed] = await both(url, body, credential);
      expect(fast).toEqual(routed);
      answers.push(fast[0]);
    }
    expect(answers).toEqual([200, 200, 200, 400, 401, 401, 200, 404, 401, 401]);
  });

  it('answers 503 UNAVAILABLE to every request of a batch that could not be written, and records nothing of it', async () => {
    const doomed = await delivery();
    const bystander = await delivery();
    // a real Postgres failure inside the bulk UPDATE, for one row
    await sut.db.dataSource.query(
      `CREATE FUNCTION ack_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'disk on fire'; END $$`,
    );
    await sut.db.dataSource.query(
      `CREATE TRIGGER ack_test_fail BEFORE UPDATE ON delivery FOR EACH ROW
       WHEN (OLD.id = ${Number(doomed)}) EXECUTE FUNCTION ack_test_fail()`,
    );
    try {
      const [a, b] = await Promise.all([
        ack({ acks: [{ deliveryId: doomed, stage: 'read' }] }),
        ack({ acks: [{ deliveryId: bystander, stage: 'read' }] }),
      ]);
      expect([a.status, a.body.error?.code]).toEqual([503, 'UNAVAILABLE']);
      expect((await row(doomed)).status).toBe('sent');
      // the bystander shared the batch (and then also got 503, nothing of it written) or had one of its own
      if (b.status === 503) expect((await row(bystander)).status).toBe('sent');
      else expect((await row(bystander)).status).toBe('read');
    } finally {
      await sut.db.dataSource.query(`DROP TRIGGER ack_test_fail ON delivery`);
      await sut.db.dataSource.query(`DROP FUNCTION ack_test_fail()`);
    }
    // and the client's retry goes through
    const retry = await ack({ acks: [{ deliveryId: doomed, stage: 'read' }] });
    expect(retry.body.results[0]).toMatchObject({ recorded: true, status: 'read' });
  });
});
