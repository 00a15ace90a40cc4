import { AlertStatus } from '@bousai/domain';

/**
 * Takes a KEY SHARE lock on the alert while it is dispatching. Every statement that creates or claims sendable
 * work starts with it: a cancel (`SELECT … FOR UPDATE` in the alert's transition) then waits for those statements
 * to commit, and every one that starts after the cancel sees the new status. So once a cancel has committed, no
 * new delivery row is planned and no queued row is claimed for sending. KEY SHARE does not conflict with the
 * plain UPDATEs of `alert.counters`, so batches of the same alert never queue behind each other on it.
 */
export const LIVE_ALERT_CTE = `live AS (
  SELECT id FROM alert WHERE id = $1 AND status = '${AlertStatus.Dispatching}' FOR KEY SHARE
)`;

/**
 * `alert.counters.fanout.queued`: the rows the fan-out has planned and not yet settled, kept in the same
 * statements that plan and settle rows. It is a hint that tells a batch when to run the authoritative completion
 * check; other writers (receiver acks on reconnect) may move rows without it, which the sweeper covers.
 * `$1` is the alert id; `delta` an SQL expression.
 */
export function bumpQueuedHint(delta: string, alsoSet = ''): string {
  return `UPDATE alert SET ${alsoSet}counters = ${withQueuedHint('counters', delta)}
    WHERE id = $1`;
}

/** `counters` (an SQL expression of an alert's counters) with the queued hint moved by `delta`. */
export function withQueuedHint(counters: string, delta: string): string {
  return `${counters} || jsonb_build_object('fanout',
      COALESCE(${counters}->'fanout', '{}'::jsonb) || jsonb_build_object('queued',
        COALESCE((${counters}->'fanout'->>'queued')::bigint, 0) + (${delta})))`;
}

/**
 * For rows added to an alert after it may have completed (fallback channels, escalation resends): the queued hint
 * grows and a sent alert goes back to dispatching, so its batches may claim the rows and completion runs again —
 * in ONE update of the alert row, as a statement may not update a row twice. `$1` is the alert id.
 */
export function reopenWithQueuedHint(delta: string): string {
  return bumpQueuedHint(
    delta,
    `status = CASE WHEN status = '${AlertStatus.Sent}' THEN '${AlertStatus.Dispatching}' ELSE status END,
         updated_at = now(), `,
  );
}

/**
 * Numbers new delivery rows into batches per channel: `source` yields (endpoint_id, channel, …); each channel's
 * rows go into batches of `batchSize` from that channel's first free batch number (`channels[i]` → `firsts[i]`).
 * All arguments are SQL (parameter references).
 */
export function numberedByChannel(
  source: string,
  batchSize: string,
  channels: string,
  firsts: string,
): string {
  return `SELECT s.*, f.first + ((row_number() OVER (PARTITION BY s.channel ORDER BY s.endpoint_id) - 1)
                  / ${batchSize}::int)::int AS batch_no
            FROM ${source} s JOIN unnest(${channels}::text[], ${firsts}::int[]) AS f(channel, first)
              ON f.channel = s.channel`;
}

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.driverError?.code ?? e?.code;
}

/**
 * Runs one autocommit statement again when Postgres picked it as a deadlock victim (40P01) or a serialization
 * failure (40001): bulk writers of the same delivery rows (a batch's outcomes, a cancel, receiver acks) lock
 * them in different orders. The statement rolled back as a whole, so running it again is safe.
 */
export async function retryOnDeadlock<T>(statement: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (err) {
      const state = sqlState(err);
      if (attempt >= attempts || (state !== '40P01' && state !== '40001')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}
