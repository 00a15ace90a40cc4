import { Injectable } from '@nestjs/common';
import { receiverAlert, type ReceiverAlert } from '@bousai/channels';
import { ReceiverRepository } from '@bousai/persistence';

/** At most this many stored alerts per reconnect; the rest follow on the next one (or via the fanout's retry). */
const MAX_FORWARDED = 100;

/** Store-and-forward: the alerts a receiver missed while it was away, as it would have received them. */
@Injectable()
export class PendingAlertsQuery {
  constructor(private readonly receivers: ReceiverRepository) {}

  async execute(endpointId: string): Promise<ReceiverAlert[]> {
    const rows = await this.receivers.pendingDeliveries(endpointId, MAX_FORWARDED);
    return rows.map((row) =>
      receiverAlert(
        { deliveryId: row.deliveryId, language: row.language },
        {
          alertId: row.alertId,
          severity: row.severity,
          isDrill: row.isDrill,
          safetyRequest: row.safetyRequest,
          texts: row.texts,
          expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
          ...(row.cancelsAlertId ? { cancelsAlertId: row.cancelsAlertId } : {}),
          evacuationMessage: row.evacuationMessage,
        },
      ),
    );
  }
}
