import { hashDeviceSecret, newSecret, signDeliveryAckToken } from '@bousai/domain';
import {
  type AppProcess,
  createTestDatabase,
  ReceiverSimulator,
  startAppProcess,
  type TestDatabase,
  testQueuePrefix,
} from '@bousai/testing';
import { seedAlert, seedDeliveries, seedResidents, type SeededResident } from './support/ack-seed';

// two api processes started from source and an ack storm; no timing assertions
jest.setTimeout(180_000);

const ACK_TOKEN_SECRET = 'e2e-ack-crash-secret-0123456789-abcdef';
const RESIDENTS = 40;
const ENDPOINTS_PER_RESIDENT = 25;
const ALERTS = 20;
/** Requests in flight at any time. */
const CLIENTS = 32;
/** The kill comes once this many acks were answered as recorded, well before the storm ends. */
const KILL_AFTER = 4_000;
/** Household receivers acking over socket.io in the same storm, each for RECEIVER_ALERTS deliveries. */
const RECEIVERS = 50;
const RECEIVER_ALERTS = 100;
const RECEIVER_WINDOW = 50;

type Stage = 'delivered' | 'read';

/** One request's worth of acks: a resident's batch, or one ack by signed token. */
type Job =
  | { kind: 'resident'; credential: string; acks: { deliveryId: string; stage: Stage }[] }
  | { kind: 'token'; deliveryId: string; stage: Stage };

interface AckResult {
  deliveryId: string;
  stage: Stage;
  recorded: boolean;
}

describe('an api process killed with SIGKILL during an ack storm', () => {
  let db: TestDatabase;
  let api: AppProcess | undefined;
  let sim: ReceiverSimulator | undefined;
  let env: Record<string, string>;
  let municipalityId: string;
  const jobs: Job[] = [];
  const receiverSecret = newSecret('rxs');
  const devices = Array.from({ length: RECEIVERS }, (_, i) => ({
    serial: `CRASH-${String(i).padStart(4, '0')}`,
    secret: receiverSecret,
  }));
  let receiverEndpoints: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const [m] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO municipality (code, name, jma_city_codes) VALUES ('322067', '安来市', '{3220600}') RETURNING id`,
    );
    municipalityId = m.id;
    receiverEndpoints = (
      await db.dataSource.query<{ id: string }[]>(
        `WITH s AS (SELECT serial, n FROM unnest($2::text[]) WITH ORDINALITY AS s(serial, n)),
              h AS (INSERT INTO household (municipality_id, external_id, address)
                    SELECT $1, serial, '安来市' FROM s RETURNING id, external_id)
         INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
         SELECT $1, h.id, 'receiver', s.serial, $3 FROM s JOIN h ON h.external_id = s.serial
          ORDER BY s.n RETURNING id`,
        [m.id, devices.map((d) => d.serial), hashDeviceSecret(receiverSecret)],
      )
    ).map((r) => r.id);
    const residents: SeededResident[] = await seedResidents(db.dataSource, m.id, RESIDENTS, {
      endpointsPerResident: ENDPOINTS_PER_RESIDENT,
    });
    // per alert: every resident acks `delivered` for all their devices in one request; one device in five
    // also acks `read` by its push message's token
    for (let a = 0; a < ALERTS; a++) {
      const alertId = await seedAlert(db.dataSource, m.id);
      for (const r of residents) {
        const ids = await seedDeliveries(db.dataSource, alertId, r.endpointIds);
        jobs.push({
          kind: 'resident',
          credential: r.credential,
          acks: ids.map((deliveryId) => ({ deliveryId, stage: 'delivered' })),
        });
        for (const deliveryId of ids.filter((_, i) => i % 5 === 0)) {
          jobs.push({ kind: 'token', deliveryId, stage: 'read' });
        }
      }
    }
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '5',
      QUEUE_PREFIX: testQueuePrefix(),
      JWT_SECRET: 'e2e-secret-0123456789-0123456789-abcdef',
      ACK_TOKEN_SECRET,
    };
  });

  afterAll(async () => {
    sim?.close();
    await api?.kill();
    await db.drop();
  });

  /** Sends one job; the acks it returns are those the api answered as recorded. */
  async function send(url: string, job: Job): Promise<{ deliveryId: string; stage: Stage }[]> {
    if (job.kind === 'resident') {
      const res = await fetch(`${url}/v1/acks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${job.credential}`, 'content-type': 'application/json' },
        body: JSON.stringify({ acks: job.acks }),
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { results: AckResult[] };
      return body.results.filter((r) => r.recorded);
    }
    const token = signDeliveryAckToken(
      { deliveryId: job.deliveryId, expiresAt: Date.now() + 3_600_000 },
      ACK_TOKEN_SECRET,
    );
    const res = await fetch(`${url}/v1/acks/signed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, stage: job.stage }),
    });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const body = (await res.json()) as AckResult;
    return body.recorded ? [{ deliveryId: body.deliveryId, stage: body.stage }] : [];
  }

  /**
   * CLIENTS loops take jobs off `queue` until it is empty or `stop()` says so. Every ack answered as recorded goes
   * into `accepted`; a job that got no 200 (cut off by the kill) goes into `unanswered`.
   */
  function storm(url: string, queue: Job[], stop: () => boolean) {
    const accepted: { deliveryId: string; stage: Stage }[] = [];
    const unanswered: Job[] = [];
    let inFlight = 0;
    const loops = Array.from({ length: CLIENTS }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (stop()) {
          unanswered.push(job);
          continue;
        }
        inFlight++;
        try {
          accepted.push(...(await send(url, job)));
        } catch {
          unanswered.push(job);
        } finally {
          inFlight--;
        }
      }
    });
    return { accepted, unanswered, inFlight: () => inFlight, done: Promise.all(loops) };
  }

  it('loses no ack it answered as recorded; resending the unanswered ones completes the storm', async () => {
    api = await startAppProcess('apps/api/src/main.ts', env);
    const first = api;
    let killed = false;

    // receivers connect before their deliveries exist (store-and-forward stays out of the way), then ack them
    sim = await ReceiverSimulator.start({
      url: first.url,
      devices,
      behaviour: { ackMode: 'none', replyTimeoutMs: 5_000 },
    });
    const pairs: { device: number; deliveryId: string }[] = [];
    for (let a = 0; a < RECEIVER_ALERTS; a++) {
      const alertId = await seedAlert(db.dataSource, municipalityId, { channels: ['receiver'] });
      const ids = await seedDeliveries(db.dataSource, alertId, receiverEndpoints, { channel: 'receiver' });
      ids.forEach((deliveryId, device) => pairs.push({ device, deliveryId }));
    }
    const socketAccepted: string[] = [];
    const sockets = Promise.all(
      Array.from({ length: RECEIVER_WINDOW }, async () => {
        for (let p = pairs.shift(); p && !killed; p = pairs.shift()) {
          const reply = await sim?.devices[p.device].ack(p.deliveryId);
          if (reply?.ok) socketAccepted.push(p.deliveryId);
        }
      }),
    );

    const run = storm(first.url, [...jobs], () => killed);
    while (run.accepted.length < KILL_AFTER) await new Promise((r) => setTimeout(r, 5));
    const inFlightAtKill = run.inFlight();
    expect(await first.kill()).toBe('SIGKILL');
    killed = true;
    await run.done;
    await sockets;
    sim.close();
    sim = undefined;

    // the kill cut requests off mid-flight, and the storm was far from over
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(run.unanswered.length).toBeGreaterThan(0);
    const total = jobs.reduce((n, j) => n + (j.kind === 'resident' ? j.acks.length : 1), 0);
    expect(run.accepted.length).toBeLessThan(total);
    expect(socketAccepted.length).toBeLessThan(RECEIVERS * RECEIVER_ALERTS);

    // every ack answered as recorded is in the database
    const missing = await db.dataSource.query<{ id: string; stage: Stage }[]>(
      `SELECT a.id::text AS id, a.stage
         FROM unnest($1::bigint[], $2::text[]) AS a(id, stage)
         JOIN delivery d ON d.id = a.id
        WHERE (a.stage = 'delivered' AND (d.delivered_at IS NULL OR d.status NOT IN ('delivered', 'read')))
           OR (a.stage = 'read' AND (d.read_at IS NULL OR d.status <> 'read'))`,
      [run.accepted.map((a) => a.deliveryId), run.accepted.map((a) => a.stage)],
    );
    expect(missing).toEqual([]);
    // and every receiver ack it answered `{ ok: true }`
    expect(socketAccepted.length).toBeGreaterThan(0);
    const [{ unrecorded }] = await db.dataSource.query<{ unrecorded: number }[]>(
      `SELECT count(*)::int AS unrecorded FROM delivery
        WHERE id = ANY($1::bigint[]) AND (delivered_at IS NULL OR status <> 'delivered')`,
      [socketAccepted],
    );
    expect(unrecorded).toBe(0);

    // a client retries what got no answer; a second api process takes it, repeats included
    api = await startAppProcess('apps/api/src/main.ts', env);
    const retry = storm(api.url, [...run.unanswered], () => false);
    await retry.done;
    expect(retry.unanswered).toEqual([]);
    const [counts] = await db.dataSource.query<{ delivered: number; read: number; total: number }[]>(
      `SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL)::int AS delivered,
              count(*) FILTER (WHERE status = 'read' AND read_at IS NOT NULL)::int AS read,
              count(*)::int AS total
         FROM delivery WHERE channel = 'fcm'`,
    );
    const reads = jobs.filter((j) => j.kind === 'token').length;
    expect(counts).toEqual({
      delivered: counts.total,
      read: reads,
      total: RESIDENTS * ENDPOINTS_PER_RESIDENT * ALERTS,
    });
  });
});
