import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows } from '../sql/pg-errors';

/** An outbox row claimed for relaying. */
export interface PendingOutboxRow {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  jobId: string;
  /** Earlier failed relay attempts. */
  attempts: number;
}

/** A claimed row that could not be relayed: tried again after `retryInMs`. */
export interface FailedOutboxRow {
  id: string;
  error: string;
  retryInMs: number;
}

const MAX_ERROR_CHARS = 1_000;

/**
 * The outbox's consumer side, in three short statements, none held open while the relay talks to Redis:
 * `claim` stamps due rows with the relay's id and a lease, `markDispatched` and `reschedule` record the outcome.
 * Several relays (one per fanout process) share the work without taking the same row while its lease runs; a relay
 * that dies after claiming leaves its rows to whoever claims once the lease has passed.
 */
@Injectable()
export class OutboxRelayRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due rows that no live lease holds (oldest first) for `relayId` until `leaseMs` from now.
   * Rows another claim has locked are skipped, and a row claimed meanwhile is re-read and passed over.
   */
  async claim(relayId: string, limit: number, leaseMs: number): Promise<PendingOutboxRow[]> {
    const result = await this.dataSource.query<unknown>(
      `UPDATE outbox o SET claimed_by = $2, claimed_until = now() + make_interval(secs => $3 / 1000.0)
        WHERE o.id IN (SELECT id FROM outbox
                        WHERE dispatched_at IS NULL AND available_at <= now()
                          AND (claimed_until IS NULL OR claimed_until <= now())
                        ORDER BY available_at, id
                        LIMIT $1
                          FOR UPDATE SKIP LOCKED)
       RETURNING o.id::text AS id, o.topic, o.payload, o.job_id AS "jobId", o.attempts,
                 o.available_at AS "availableAt"`,
      [limit, relayId, leaseMs],
    );
    return returnedRows<PendingOutboxRow & { availableAt: Date }>(result)
      .sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime() || Number(a.id) - Number(b.id))
      .map(({ availableAt: _, ...row }) => row);
  }

  /** The rows' jobs are queued: whoever holds the lease now, they are done. */
  async markDispatched(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox SET dispatched_at = now(), last_error = NULL, claimed_until = NULL
        WHERE id = ANY ($1::bigint[]) AND dispatched_at IS NULL`,
      [ids],
    );
  }

  /**
   * Rows `relayId` could not relay: attempts + 1, `last_error`, due again after their delay, the lease given up.
   * A row whose lease lapsed and which another relay claimed meanwhile is left to that relay.
   */
  async reschedule(relayId: string, failed: readonly FailedOutboxRow[]): Promise<void> {
    if (failed.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox o SET attempts = o.attempts + 1, last_error = f.error, claimed_until = NULL,
              available_at = now() + make_interval(secs => f.delay_ms / 1000.0)
         FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS f(id, error, delay_ms)
        WHERE o.id = f.id AND o.claimed_by = $4 AND o.dispatched_at IS NULL`,
      [
        failed.map((f) => f.id),
        failed.map((f) => f.error.slice(0, MAX_ERROR_CHARS)),
        failed.map((f) => Math.max(0, f.retryInMs)),
        relayId,
      ],
    );
  }
}
