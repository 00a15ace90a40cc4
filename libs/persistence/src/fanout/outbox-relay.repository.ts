import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** An outbox row due for relaying. */
export interface PendingOutboxRow {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  jobId: string;
  /** Earlier failed relay attempts. */
  attempts: number;
}

/** What the relay did with the rows it was handed. Rows in neither list stay as they were. */
export interface OutboxRelayResult {
  dispatched: readonly string[];
  failed: readonly { id: string; error: string; retryInMs: number }[];
}

const MAX_ERROR_CHARS = 1_000;

/**
 * The outbox's consumer side. Rows are taken with `FOR UPDATE SKIP LOCKED`, so several relays (one per fanout
 * process) share the work without taking the same row, and a row stays locked until its outcome is written.
 */
@Injectable()
export class OutboxRelayRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks up to `limit` due rows (oldest first), hands them to `relay`, and in the same transaction marks the
   * dispatched ones and reschedules the failed ones (attempts + 1, `last_error`, `available_at` pushed back).
   * If `relay` throws, every row counts as failed with that error. Resolves to how many rows were taken.
   */
  async relayDue(
    limit: number,
    relay: (rows: PendingOutboxRow[]) => Promise<OutboxRelayResult>,
    failureDelayMs: (attempts: number) => number,
  ): Promise<number> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      try {
        const rows = (await qr.query(
          `SELECT id::text AS id, topic, payload, job_id AS "jobId", attempts
             FROM outbox
            WHERE dispatched_at IS NULL AND available_at <= now()
            ORDER BY available_at, id
            LIMIT $1
              FOR UPDATE SKIP LOCKED`,
          [limit],
        )) as PendingOutboxRow[];
        if (rows.length === 0) {
          await qr.commitTransaction();
          return 0;
        }
        let result: OutboxRelayResult;
        try {
          result = await relay(rows);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          result = {
            dispatched: [],
            failed: rows.map((r) => ({ id: r.id, error, retryInMs: failureDelayMs(r.attempts + 1) })),
          };
        }
        if (result.dispatched.length > 0) {
          await qr.query(
            `UPDATE outbox SET dispatched_at = now(), last_error = NULL WHERE id = ANY ($1::bigint[])`,
            [result.dispatched],
          );
        }
        if (result.failed.length > 0) {
          await qr.query(
            `UPDATE outbox o SET attempts = o.attempts + 1, last_error = f.error,
                    available_at = now() + make_interval(secs => f.delay_ms / 1000.0)
               FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS f(id, error, delay_ms)
              WHERE o.id = f.id`,
            [
              result.failed.map((f) => f.id),
              result.failed.map((f) => f.error.slice(0, MAX_ERROR_CHARS)),
              result.failed.map((f) => Math.max(0, f.retryInMs)),
            ],
          );
        }
        await qr.commitTransaction();
        return rows.length;
      } catch (err) {
        if (qr.isTransactionActive) await qr.rollbackTransaction();
        throw err;
      }
    } finally {
      await qr.release();
    }
  }
}
