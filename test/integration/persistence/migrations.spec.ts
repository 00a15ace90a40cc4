import { createDataSource, runMigrations, schemaDrift } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('build the whole schema from an empty database, and the entities do not drift from it', async () => {
    expect(await schemaDrift(db.dataSource)).not.toEqual([]);
    const applied = await runMigrations(db.dataSource);
    expect(applied.length).toBeGreaterThan(0);
    expect(await schemaDrift(db.dataSource)).toEqual([]);
    const tables = await db.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        'municipality',
        'area',
        'household',
        'resident',
        'supporter',
        'endpoint',
        'feed_document',
        'event',
        'alert',
        'delivery',
        'safety_request',
        'safety_response',
        'escalation_task',
        'operator',
        'audit_log',
        'outbox',
      ]),
    );
  });

  it('are idempotent: a second run applies nothing', async () => {
    const ds = await createDataSource({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 1 }).initialize();
    try {
      expect(await runMigrations(ds)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('enforce one delivery per (alert, endpoint) and the enum checks', async () => {
    const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);
    const [m] = await q(`INSERT INTO municipality (code, name) VALUES ('999999', 'テスト市') RETURNING id`);
    const [r] = await q(
      `INSERT INTO resident (municipality_id, external_id, name) VALUES ($1, 'r1', 'x') RETURNING id`,
      [m.id],
    );
    const [e] = await q(
      `INSERT INTO endpoint (municipality_id, resident_id, channel, address) VALUES ($1, $2, 'email', 'a@example.org') RETURNING id`,
      [m.id, r.id],
    );
    const [a] = await q(
      `INSERT INTO alert (municipality_id, source, severity, channels) VALUES ($1, 'operator', 'severe', '{email}') RETURNING id`,
      [m.id],
    );
    await q(`INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) VALUES ($1, $2, 'email', 0)`, [
      a.id,
      e.id,
    ]);
    await expect(
      q(`INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no) VALUES ($1, $2, 'email', 1)`, [
        a.id,
        e.id,
      ]),
      // enforced per partition (delivery is partitioned by alert): the error names the partition's copy of the key
    ).rejects.toThrow(/unique constraint "delivery_\w+_alert_id_endpoint_id_key"/);
    await expect(q(`UPDATE alert SET status = 'bogus' WHERE id = $1`, [a.id])).rejects.toThrow(
      /chk_alert_status/,
    );
    await expect(
      q(`INSERT INTO endpoint (municipality_id, channel, address) VALUES ($1, 'fcm', 'x')`, [m.id]),
    ).rejects.toThrow(/chk_endpoint_owner/);
    await expect(
      q(
        `INSERT INTO operator (municipality_id, email, password_hash, role) VALUES ($1, 'A@x.jp', 'h', 'admin'), ($1, 'a@x.jp', 'h', 'admin')`,
        [m.id],
      ),
    ).rejects.toThrow(/uq_operator_email/);
  });
});
