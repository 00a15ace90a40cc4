import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { ReceiverErrorCode } from '@bousai/channels';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { ReceiverProtocolError } from './receiver-protocol.error';
import type { ReceiverSocket } from './receiver-socket';

/** Reports an event carries: the length of a `reports` batch, else one. Read before validation, so never trusted. */
function weightOf(data: unknown): number {
  const reports = (data as { reports?: unknown } | null)?.reports;
  return Array.isArray(reports) && reports.length > 0 ? reports.length : 1;
}

const pending = new WeakMap<ReceiverSocket, number>();

/**
 * Flow control per connection (docs/receiver-protocol.md §6): a device waits for answers before sending more, so
 * at most RECEIVER_MAX_PENDING_REPORTS of its reports may be waiting for theirs. Beyond that, an event is answered
 * RATE_LIMITED at once, before it reaches the shared report buffer: one flooding receiver then fills at most its
 * share of each group commit and cannot delay the answers of every other receiver behind its backlog.
 */
@Injectable()
export class ReceiverFlowInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: ApiConfig) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ws = ctx.switchToWs();
    const socket = ws.getClient<ReceiverSocket>();
    const weight = weightOf(ws.getData());
    const inFlight = pending.get(socket) ?? 0;
    const limit = this.config.RECEIVER_MAX_PENDING_REPORTS;
    // an empty connection always takes one event, however large: a valid `reports` batch never exceeds the limit
    if (inFlight > 0 && inFlight + weight > limit) {
      throw new ReceiverProtocolError(
        ReceiverErrorCode.RateLimited,
        `More than ${limit} reports of this connection are waiting for their answers; wait for them, then send this again`,
        { maxPendingReports: limit },
      );
    }
    pending.set(socket, inFlight + weight);
    return next.handle().pipe(
      finalize(() => {
        const left = (pending.get(socket) ?? weight) - weight;
        if (left > 0) pending.set(socket, left);
        else pending.delete(socket);
      }),
    );
  }
}
