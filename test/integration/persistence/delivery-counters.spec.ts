import { LiveCountersRepository } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

/** What the counters must equal: a count of the delivery table itself. */
async function counted(db: TestDatabase, alertId: string): Promise<Record<string, Record<string, number>>> {
  const rows = await db.dataSource.query<{ channel: string; status: string; n: number }[]>(
    `SELECT channel, status, count(*)::int AS n FROM delivery WHERE alert_id = $1 GROUP BY channel, status`,
    [alertId],
  );
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.channel] ??= {})[r.status] = r.n;
  return out;
}

describe('delivery counters (kept by triggers)', () => {
  let db: TestDatabase;
  let repo: LiveCountersRepository;
  let alertId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    repo = new LiveCountersRepository(db.dataSource);
    const q = db.dataSource.query.bind(db.dataSource);
    const [{ id: mid }] = await q(
      `INSERT INTO municipality (code, name) VALUES ('999001', 'テスト市') RETURNING id`,
    );
    [{ id: alertId }] = await q(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status)
       VALUES ($1, 'operator', '{}', 'extreme', '{"all": true}', '{fcm,receiver}', 'dispatching') RETURNING id`,
      [mid],
    );
    const [{ id: householdId }] = await q(
      `INSERT INTO household (municipality_id, external_id, address) VALUES ($1, 'H-1', '住所') RETURNING id`,
      [mid],
    );
    // 6,000 endpoints (every fifth a receiver) and one queued delivery each, in batches of 500
    await q(
      `WITH e AS (
         INSERT INTO endpoint (municipality_id, household_id, channel, address, secret_hash)
         SELECT $1, $3, CASE WHEN i % 5 = 0 THEN 'receiver' ELSE 'fcm' END, 'addr-' || i,
                CASE WHEN i % 5 = 0 THEN 'sha256:x' END
           FROM generate_series(1, 6000) i
         RETURNING id, channel
       )
       INSERT INTO delivery (alert_id, endpoint_id, channel, batch_no)
       SELECT $2, id, channel, (row_number() OVER ()) / 500 FROM e`,
      [mid, alertId, householdId],
    );
  });
  afterAll(() => db.drop());

  it('count the rows planned', async () => {
    const [c] = await repo.counters([alertId]);
    expect(c.byChannel).toEqual({ fcm: { queued: 4_800 }, receiver: { queued: 1_200 } });
    expect(c.byChannel).toEqual(await counted(db, alertId));
  });

  it('stay equal to a count of the table under many concurrent bulk updates of the same alert', async () => {
    const q = db.dataSource.query.bind(db.dataSource);
    const statements: Promise<unknown>[] = [];
    // every batch's outcomes, then acks moving some of them forward, racing each other and a cancel; the
    // statements touch disjoint rows (as the fan-out's do: one batch, one row set) but the same counters
    for (let batch = 0; batch <= 9; batch++) {
      statements.push(
        q(
          `UPDATE delivery SET status = CASE WHEN id % 7 = 0 THEN 'failed' ELSE 'sent' END, attempts = attempts + 1
            WHERE alert_id = $1 AND batch_no = $2 AND status = 'queued'`,
          [alertId, batch],
        ).then(() =>
          q(
            `UPDATE delivery SET status = 'delivered'
              WHERE alert_id = $1 AND batch_no = $2 AND status = 'sent' AND id % 3 = 0`,
            [alertId, batch],
          ),
        ),
      );
    }
    statements.push(
      q(
        `UPDATE delivery SET status = 'cancelled' WHERE alert_id = $1 AND batch_no >= 10 AND status = 'queued'`,
        [alertId],
      ),
    );
    await Promise.all(statements);
    // a statement that changes no status moves no counter
    await q(`UPDATE delivery SET attempts = attempts WHERE alert_id = $1`, [alertId]);

    const [c] = await repo.counters([alertId]);
    expect(c.byChannel).toEqual(await counted(db, alertId));
    const total = Object.values(c.byChannel)
      .flatMap((s) => Object.values(s))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(6_000);
  });

  it('are deleted with their alert', async () => {
    await db.dataSource.query(`DELETE FROM delivery WHERE alert_id = $1`, [alertId]);
    await db.dataSource.query(`DELETE FROM alert WHERE id = $1`, [alertId]);
    const left = await db.dataSource.query(`SELECT 1 FROM delivery_counter WHERE alert_id = $1`, [alertId]);
    expect(left).toEqual([]);
  });
});
