import type { DataSource } from 'typeorm';
import { returnedRows } from './pg-errors';

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement as a named prepared statement of node-postgres on the data source's pool: each connection parses
 * and plans it once, then only binds and executes it. For the statements of the hot paths a group commit writes
 * many times a second, whose planning would otherwise cost as much as a small batch (docs/performance.md). `name`
 * must be unique to `text`. With DATABASE_PREPARED_STATEMENTS off (a pooler that cannot keep them) the statement
 * is sent unnamed like any other.
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const extra = (dataSource.options as { extra?: { preparedStatements?: boolean } }).extra;
  if (extra?.preparedStatements === false) return returnedRows<T>(await dataSource.query(text, values));
  const pool = (dataSource.driver as unknown as { master: PgPool }).master;
  const { rows } = await pool.query({ name, text, values });
  return rows as T[];
}
