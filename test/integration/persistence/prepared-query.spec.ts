import { createDataSource, preparedQuery } from '@bousai/persistence';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';

/** A statement run through `preparedQuery`, and how many statements of that name its connection has prepared. */
interface Source {
  query(values: unknown[]): Promise<unknown[]>;
  prepared(): Promise<number>;
}

describe(preparedQuery.name, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** One connection, so that what it prepared can be seen from it. */
  async function withSource<T>(prepared: boolean, work: (q: Source) => Promise<T>): Promise<T> {
    const ds = await createDataSource({
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: 1,
      DATABASE_PREPARED_STATEMENTS: prepared,
    }).initialize();
    const run: Source = {
      query: (values: unknown[]) =>
        preparedQuery<{ n: number; word: string }>(
          ds,
          'test.numbered_words',
          `SELECT n::int AS n, w AS word FROM unnest($1::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n`,
          values,
        ),
      prepared: async () =>
        (
          await ds.query<{ name: string }[]>(
            `SELECT name FROM pg_prepared_statements WHERE name = 'test.numbered_words'`,
          )
        ).length,
    };
    try {
      return await work(run);
    } finally {
      await ds.destroy();
    }
  }
  it('runs a named prepared statement, planned once for the connection, with the same rows every time', async () => {
    await withSource(true, async (q) => {
      expect(await q.query([['避難', '安否']])).toEqual([
        { n: 1, word: '避難' },
        { n: 2, word: '安否' },
      ]);
      expect(await q.query([['警戒レベル']])).toEqual([{ n: 1, word: '警戒レベル' }]);
      expect(await q.prepared()).toBe(1);
    });
  });

  it('sends the statement unnamed when prepared statements are off (a pooler that cannot keep them)', async () => {
    await withSource(false, async (q) => {
      expect(await q.query([['避難', '安否']])).toEqual([
        { n: 1, word: '避難' },
        { n: 2, word: '安否' },
      ]);
      expect(await q.prepared()).toBe(0);
    });
  });
});
