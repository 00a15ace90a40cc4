import { copyRows } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

describe(copyRows.name, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.query(
      `CREATE TABLE copy_probe (id int PRIMARY KEY, t text, a text[], j jsonb, b boolean, ts timestamptz, d double precision)`,
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  it('round-trips text, arrays, json, booleans, timestamps, numbers and nulls through COPY', async () => {
    const awkward = 'tab\there\nnew line\r\\backslash "quoted" {braces},comma 安来 \\N';
    const at = new Date('2026-04-01T09:30:00.123Z');
    const qr = db.dataSource.createQueryRunner();
    try {
      const client = (await qr.connect()) as Parameters<typeof copyRows>[0];
      const n = await copyRows(
        client,
        'copy_probe',
        ['id', 't', 'a', 'j', 'b', 'ts', 'd'],
        [
          [1, awkward, [awkward, '', 'NULL'], { note: awkward, n: 1 }, true, at, 35.431],
          [2, null, [], null, false, null, undefined],
        ],
      );
      expect(n).toBe(2);
    } finally {
      await qr.release();
    }
    const rows = await db.dataSource.query(`SELECT * FROM copy_probe ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, t: awkward, a: [awkward, '', 'NULL'], j: { note: awkward, n: 1 }, b: true, ts: at, d: 35.431 },
      { id: 2, t: null, a: [], j: null, b: false, ts: null, d: null },
    ]);
  });

  it('refuses identifiers that are not plain names', async () => {
    const qr = db.dataSource.createQueryRunner();
    try {
      const client = (await qr.connect()) as Parameters<typeof copyRows>[0];
      await expect(copyRows(client, 'copy_probe; DROP TABLE x', ['id'], [])).rejects.toThrow(/identifier/);
    } finally {
      await qr.release();
    }
  });
});
