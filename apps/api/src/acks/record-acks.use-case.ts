import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  type DeliveryStatus,
  DomainError,
  ErrorCode,
  isDeliveryId,
  NotFoundError,
  ValidationError,
  verifyDeliveryAckToken,
} from '@bousai/domain';
import type { AckStage, DeliveryAckResult } from '@bousai/persistence';
import { DeliveryAckWriter } from './delivery-ack.writer';

export interface AckInput {
  deliveryId: string;
  stage: AckStage;
  deviceAt?: string;
}

export interface AckOutcome {
  deliveryId: string;
  stage: AckStage;
  recorded: boolean;
  status?: DeliveryStatus;
  error?: { code: string; message: string };
}

/**
 * The device's clock, as it reported it (a phone whose clock reset to 1970 says so). A year outside 1970–9999 is
 * no clock's honest reading but a client bug, refused before it joins a group commit it could only spoil.
 */
function deviceTime(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const at = new Date(value);
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1970 || year > 9999) {
    throw new ValidationError('deviceAt is not a time between 1970 and 9999', { deviceAt: value });
  }
  return at;
}

/**
 * Delivery acknowledgements from residents' apps and browsers (docs/architecture.md §6): each is authorised either by
 * the resident credential (only deliveries to the resident's own endpoints) or by the delivery's signed ack token,
 * then waits in the group commit and is answered once durable. Idempotent: a repeat is recorded again as the
 * no-op it is; stages only move forward.
 */
@Injectable()
export class RecordAcksUseCase {
  constructor(
    private readonly writer: DeliveryAckWriter,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** A resident's batch: one outcome per ack, in order; acks of others' deliveries are NOT_FOUND. */
  async byResident(residentId: string, acks: readonly AckInput[]): Promise<AckOutcome[]> {
    const at = new Date();
    const rows = acks.map((a, index) => {
      // the DTO checks the spelling; this also checks the bigint range, so one bad id cannot fail a whole batch
      if (!isDeliveryId(a.deliveryId)) throw new ValidationError('deliveryId is out of range', { index });
      return { deliveryId: a.deliveryId, stage: a.stage, residentId, at, deviceAt: deviceTime(a.deviceAt) };
    });
    const results = await this.writer.record(rows);
    return acks.map((a, i) => outcome(a, results[i]));
  }

  /** One ack by a delivery's signed token: 401 for a forged or expired token, 404 for a delivery now gone. */
  async byToken(token: string, ack: Omit<AckInput, 'deliveryId'>): Promise<AckOutcome> {
    const at = new Date();
    const secret = this.config.ACK_TOKEN_SECRET;
    if (!secret) {
      throw new DomainError(ErrorCode.Unavailable, 'acknowledgements by token are not configured here');
    }
    const { deliveryId } = verifyDeliveryAckToken(token, secret, at.getTime());
    const [result] = await this.writer.record([
      { deliveryId, stage: ack.stage, residentId: null, at, deviceAt: deviceTime(ack.deviceAt) },
    ]);
    if (!result) throw new NotFoundError('delivery', deliveryId);
    return outcome({ ...ack, deliveryId }, result);
  }
}

function outcome(ack: AckInput, result: DeliveryAckResult): AckOutcome {
  const { deliveryId, stage } = ack;
  if (!result) {
    return {
      deliveryId,
      stage,
      recorded: false,
      error: { code: ErrorCode.NotFound, message: `delivery ${deliveryId} is not one of yours` },
    };
  }
  return { deliveryId, stage, recorded: true, status: result.status };
}
