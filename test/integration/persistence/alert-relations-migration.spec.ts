import { AlertRelations1795583000000 } from '../../../migrations/1795583000000-alert-relations';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

/** Migration 1795583000000-alert-relations: a notice's `cancellationOf` JSON key becomes `cancels_alert_id`. */
describe('alert relations migration', () => {
  let db: TestDatabase;
  const q = <T = Record<string, unknown>[]>(sql: string, params: unknown[] = []) =>
    db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('moves the cancelled alert out of a notice targeting into cancels_alert_id, and renames the correction link', async () => {
    const migration = new AlertRelations1795583000000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const [{ id: m }] = await q<{ id: string }[]>(
        `INSERT INTO municipality (code, name) VALUES ('999583', 'テスト村') RETURNING id`,
      );
      const insert = async (targeting: unknown, supersedesId: string | null = null) => {
        const [{ id }] = await q<{ id: string }[]>(
          `INSERT INTO alert (municipality_id, source, severity, targeting, channels, supersedes_id)
           VALUES ($1, 'operator', 'extreme', $2, '{fcm}', $3) RETURNING id::text AS id`,
          [m, JSON.stringify(targeting), supersedesId],
        );
        return id;
      };
      const original = await insert({ areaIds: ['3f0c2a9e-1b2c-4d5e-8f90-123456789abc'] });
      const correction = await insert({ all: true }, original);
      const notice = await insert({ cancellationOf: original });
      const dangling = await insert({ cancellationOf: 'not-an-alert' });

      await migration.up(runner);
      const rows = await q<
        { id: string; targeting: unknown; cancels: string | null; supersedes: string | null }[]
      >(
        `SELECT id::text, targeting, cancels_alert_id::text AS cancels, supersedes_alert_id::text AS supersedes
           FROM alert WHERE municipality_id = $1`,
        [m],
      );
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(byId[notice]).toMatchObject({
        cancels: original,
        targeting: { areaIds: ['3f0c2a9e-1b2c-4d5e-8f90-123456789abc'] },
      });
      expect(byId[correction]).toMatchObject({ supersedes: original, cancels: null });
      expect(byId[dangling]).toMatchObject({ cancels: null, targeting: {} });
      const [{ n }] = await q<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM alert WHERE targeting ? 'cancellationOf'`,
      );
      expect(n).toBe(0);
    } finally {
      await runner.release();
    }
  });
});
