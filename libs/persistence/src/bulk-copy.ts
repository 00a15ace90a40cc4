import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';

/** What a cell may hold: arrays become `text[]` literals, plain objects `jsonb`, null/undefined `\N`. */
export type CopyValue =
  string | number | boolean | Date | null | undefined | readonly string[] | Record<string, unknown>;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
// Flush to the socket in chunks of about this size rather than one write per row.
const CHUNK_CHARS = 256 * 1024;

/** COPY text format escapes (PostgreSQL docs, COPY "Text Format"): backslash, tab, newline, carriage return. */
function escapeText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** An array literal element: always double-quoted, with `"` and `\` backslash-escaped (array input syntax). */
function arrayElement(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function encode(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`COPY cannot encode the number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return escapeText(`{${(value as readonly string[]).map(arrayElement).join(',')}}`);
  return escapeText(JSON.stringify(value));
}

function* lines(rows: Iterable<readonly CopyValue[]>, width: number): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    if (row.length !== width) throw new Error(`COPY row has ${row.length} values, expected ${width}`);
    chunk += row.map(encode).join('\t') + '\n';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Streams rows into `table` with `COPY … FROM STDIN` on the given connection (so inside its transaction, if
 * one is open). Orders of magnitude faster than INSERTs for bulk imports. Returns the number of rows copied.
 */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  }
  const sink = client.query(
    copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`),
  );
  await pipeline(Readable.from(lines(rows, columns.length)), sink);
  return sink.rowCount;
}

/**
 * The pg connection a TypeORM transaction runs on, for COPY inside it: the supported way to the driver connection,
 * QueryRunner.connect(), resolves to the PoolClient the transaction holds.
 */
export async function transactionClient(em: EntityManager): Promise<PoolClient> {
  if (!em.queryRunner) throw new Error('transaction without a query runner');
  return (await em.queryRunner.connect()) as PoolClient;
}

/** `copyRows` in the transaction `em`. */
export async function copyRowsIn(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<number> {
  return copyRows(await transactionClient(em), table, columns, rows);
}
