import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DeliveryPartitions1795593000000 } from '../../../migrations/1795593000000-delivery-partitions';
import {
  DeliveryPartitionRepository,
  DeliveryPlanRepository,
  monthOf,
  uuidV7Floor,
} from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

const NOW = new Date();
const THIS_MONTH = monthOf(NOW);
/** The 15th of the month `offset` months from this one (UTC). */
const monthDay = (offset: number) => new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth() + offset, 15));
const partitionOf = (offset: number) => {
  const d = monthDay(offset);
  return `delivery_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
/** A time-ordered alert id made at `at` (its random tail from a counter). */
let serial = 0;
const alertIdAt = (at: Date) => uuidV7Floor(at).slice(0, 24) + (++serial).toString(16).padStart(12, '0');

describe('delivery partitions and retention', () => {
  let db: TestDatabase;
  let repo: DeliveryPartitionRepository;
  let q: (sql: string, params?: unknown[]) => Promise<{ [k: string]: unknown }[]>;
  let mid: string;
  const alerts: Record<number, string> = {};

  async function alert(offset: number, status: string, id = alertIdAt(monthDay(offset))): Promise<string> {
    await q(
      `INSERT INTO alert (id, municipality_id, source, texts, severity, targeting, channels, status, created_at)
       VALUES ($1, $2, 'operator', '{}', 'extreme', '{"all": true}', '{fcm}', $3, $4)`,
      [id, mid, status, monthDay(offset)],
    );
    return id;
  }
  /** One delivery to each of the first `n` endpoints. */
  const deliver = (alertId: string, n = 50, offset = 0) =>
    q(
      `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no)
       SELECT $1, id, 'fcm', 0 FROM endpoint ORDER BY id OFFSET $3 LIMIT $2`,
      [alertId, n, offset],
    );
  const partitionsOf = async (alertId: string) =>
    (
      await q(`SELECT DISTINCT tableoid::regclass::text AS p FROM delivery WHERE alert_id = $1`, [alertId])
    ).map((r) => r.p);
  const count = async (alertId: string) =>
    Number((await q(`SELECT count(*)::int AS n FROM delivery WHERE alert_id = $1`, [alertId]))[0]?.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    repo = new DeliveryPartitionRepository(db.dataSource);
    q = (sql, params) => db.dataSource.query(sql, params);
    [{ id: mid }] = (await q(
      `INSERT INTO municipality (code, name) VALUES ('999002', 'テスト町') RETURNING id`,
    )) as {
      id: string;
    }[];
    const [{ id: householdId }] = await q(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, 'H-1', '住所') RETURNING id`,
      [mid],
    );
    await q(
      `INSERT INTO endpoint (municipality_id, household_id, channel, address)
       SELECT $1, $2, 'fcm', 'addr-' || i FROM generate_series(1, 400) i`,
      [mid, householdId],
    );
  });
  afterAll(() => db.drop());

  it('creates months ahead and back, contiguous, and routes each alert to its month', async () => {
    const created = await repo.ensure(THIS_MONTH - 30, THIS_MONTH + 3);
    expect(created).toHaveLength(34);
    expect(await repo.ensure(THIS_MONTH - 2, THIS_MONTH + 1)).toEqual([]);
    for (const [offset, status] of [
      [-29, 'closed'],
      [-28, 'cancelled'],
      [-27, 'sent'],
      [-26, 'closed'],
      [-1, 'closed'],
      [0, 'dispatching'],
    ] as const) {
      alerts[offset] = await alert(offset, status);
      await deliver(alerts[offset]);
      expect(await partitionsOf(alerts[offset])).toEqual([partitionOf(offset)]);
    }
  });

  it('moves rows a catch-all held into the month created over them (alerts with pre-v7 ids)', async () => {
    const early = await alert(6, 'closed');
    await deliver(early, 10);
    expect(await partitionsOf(early)).toEqual(['delivery_after']);
    expect(await repo.ensure(THIS_MONTH, THIS_MONTH + 6)).toEqual([
      partitionOf(4),
      partitionOf(5),
      partitionOf(6),
    ]);
    expect(await partitionsOf(early)).toEqual([partitionOf(6)]);
    expect(await count(early)).toBe(10);
  });

  it('drops whole months past the cutoff, archived first, while inserts go on; stops at an open alert', async () => {
    const archive = mkdtempSync(join(tmpdir(), 'delivery-archive-'));
    const [{ n: countersBefore }] = await q(`SELECT count(*)::int AS n FROM delivery_counter`);
    // inserts into the current alert, one statement after another, for as long as the retention runs
    let running = true;
    let inserted = 0;
    const writer = (async () => {
      for (let offset = 50; running && offset < 400; offset += 10) {
        await deliver(alerts[0], 10, offset);
        inserted += 10;
      }
    })();
    const report = await repo.dropBefore(THIS_MONTH - 24, archive);
    running = false;
    await writer;
    expect(report).toEqual({
      dropped: [partitionOf(-30), partitionOf(-29), partitionOf(-28)],
      kept: [partitionOf(-27)],
    });
    expect(await count(alerts[0])).toBe(50 + inserted);
    expect(await count(alerts[-29])).toBe(0);
    expect(await count(alerts[-28])).toBe(0);
    expect(await count(alerts[-27])).toBe(50);
    // the per-alert counters stay for reports
    expect((await q(`SELECT count(*)::int AS n FROM delivery_counter`))[0]?.n).toBe(countersBefore);
    const lines = gunzipSync(readFileSync(join(archive, `${partitionOf(-29)}.csv.gz`)))
      .toString()
      .trim()
      .split('\n');
    expect(lines[0]?.startsWith('id,alert_id,endpoint_id')).toBe(true);
    expect(lines.slice(1).every((l) => l.includes(alerts[-29]))).toBe(true);
    expect(lines).toHaveLength(51);
    expect(readdirSync(archive).sort()).toEqual(
      [partitionOf(-30), partitionOf(-29), partitionOf(-28)].map((p) => `${p}.csv.gz`).sort(),
    );
    expect((await repo.months())[0]).toBe(partitionOf(-27));
  });

  it('drops the rest once the alert ended, never a month within the retention; late rows still have a home', async () => {
    await q(`UPDATE alert SET status = 'closed' WHERE id = $1`, [alerts[-27]]);
    const report = await repo.dropBefore(THIS_MONTH - 24);
    expect(report.kept).toEqual([]);
    expect(report.dropped).toEqual([-27, -26, -25].map(partitionOf));
    expect((await repo.months())[0]).toBe(partitionOf(-24));
    expect(await count(alerts[-1])).toBe(50);
    // a delivery for a dropped month's alert lands in the catch-all instead of failing
    await deliver(alerts[-26], 5);
    expect(await partitionsOf(alerts[-26])).toEqual(['delivery_before']);
  });

  it('keeps a month holding an alert made within the retention (a random id in an old range)', async () => {
    const misplaced = alertIdAt(monthDay(-24));
    await q(
      `INSERT INTO alert (id, municipality_id, source, texts, severity, targeting, channels, status)
       VALUES ($1, $2, 'operator', '{}', 'extreme', '{"all": true}', '{fcm}', 'closed')`,
      [misplaced, mid],
    );
    await deliver(misplaced, 5);
    const report = await repo.dropBefore(THIS_MONTH - 22);
    expect(report).toEqual({ dropped: [], kept: [partitionOf(-24)] });
    expect(await count(misplaced)).toBe(5);
  });

  it("refreshes the statistics of an alert's partition after a large plan, and only then", async () => {
    await repo.ensure(THIS_MONTH, THIS_MONTH);
    const id = await alert(0, 'dispatching');
    const part = partitionOf(0);
    await q(`ANALYZE ${part}`);
    const known = async () =>
      Number((await q(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1`, [part]))[0].n);
    const before = await known();
    // 12,000 deliveries: one to each of 12,000 endpoints of the test's household
    const [{ householdId }] = await q(`SELECT household_id AS "householdId" FROM endpoint LIMIT 1`);
    await q(
      `WITH e AS (
         INSERT INTO endpoint (municipality_id, household_id, channel, address)
         SELECT $2, $3, 'fcm', 'stats-' || g FROM generate_series(1, 12000) g RETURNING id
       )
       INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) SELECT $1, id, 'fcm', 0 FROM e`,
      [id, mid, householdId],
    );
    const plans = new DeliveryPlanRepository(db.dataSource);
    // a small plan leaves the statistics to autovacuum
    expect(await plans.refreshStatistics(id, 2_000)).toBe(false);
    expect(await known()).toBe(before);
    expect(await plans.refreshStatistics(id, 12_000)).toBe(true);
    expect(await known()).toBe(before + 12_000);
    await q(`DELETE FROM delivery WHERE alert_id = $1`, [id]);
    await q(`DELETE FROM endpoint WHERE address LIKE 'stats-%'`);
  });

  it('lets one maintenance run at a time', async () => {
    const inner = await repo.exclusively(() => repo.exclusively(() => Promise.resolve('nested')));
    expect(inner).toBeUndefined();
    expect(await repo.exclusively(() => Promise.resolve('alone'))).toBe('alone');
  });

  it('migrates down to a plain table and up again keeping every row, id and counter', async () => {
    const snapshot = () =>
      q(`SELECT id::text, alert_id::text, endpoint_id::text, status FROM delivery ORDER BY id`);
    const before = await snapshot();
    const counters = await q(`SELECT * FROM delivery_counter ORDER BY 1, 2, 3, 4`);
    const migration = new DeliveryPartitions1795593000000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect((await q(`SELECT relkind::text AS k FROM pg_class WHERE relname = 'delivery'`))[0]?.k).toBe('r');
      expect(await snapshot()).toEqual(before);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect((await q(`SELECT relkind::text AS k FROM pg_class WHERE relname = 'delivery'`))[0]?.k).toBe('p');
    expect(await snapshot()).toEqual(before);
    // new rows still take fresh ids, are counted and checked by the triggers
    const fresh = await alert(0, 'dispatching');
    await deliver(fresh, 3);
    const ids = await q(`SELECT id::text AS id FROM delivery WHERE alert_id = $1`, [fresh]);
    expect(ids.every((r) => BigInt(String(r.id)) > BigInt(String(before.at(-1)?.id)))).toBe(true);
    expect(
      await q(`SELECT * FROM delivery_counter WHERE alert_id <> $1 ORDER BY 1, 2, 3, 4`, [fresh]),
    ).toEqual(counters);
    await expect(
      q(
        `INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) VALUES ($1, gen_random_uuid(), 'fcm', 0)`,
        [fresh],
      ),
    ).rejects.toThrow(/endpoint that does not exist/);
  });
});
