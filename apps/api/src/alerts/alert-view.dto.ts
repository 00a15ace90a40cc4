import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AlertSource, AlertStatus, Channel, Severity, type Targeting } from '@bousai/domain';
import type { AlertEntity, OperatorEntity, Page } from '@bousai/persistence';
import { TargetingDto } from './alerts.dto';

class AlertTextDto {
  @ApiProperty() title: string;
  @ApiProperty() body: string;
}

const nullableDate = { nullable: true, type: Date } as const;
const nullableId = { format: 'uuid', nullable: true, type: String } as const;
const operatorName = {
  nullable: true,
  type: String,
  description: 'the name of the operator of the id beside it (display name, else e-mail)',
} as const;

/** The name an operator is shown by (as the repositories' `operatorName`). */
function nameOf(o: OperatorEntity | null | undefined): string | null {
  return o ? o.displayName?.trim() || o.email : null;
}

/** An alert as operators see it: what goes out, to whom, where it is in its lifecycle, and who moved it. */
export class AlertView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) municipalityId: string;
  @ApiProperty({ enum: AlertSource }) source: string;
  @ApiProperty({ ...nullableId, description: 'the feed event it came from' }) eventId: string | null;
  @ApiProperty({ nullable: true, type: String }) templateKey: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/AlertTextDto' },
    description: '{ [language]: { title, body } }, rendered before approval',
  })
  texts: Record<string, { title: string; body: string }>;
  @ApiProperty({ enum: Severity }) severity: string;
  @ApiProperty({ type: TargetingDto, description: 'who it is for' })
  targeting: Targeting;
  @ApiProperty({ enum: Channel, isArray: true }) channels: string[];
  @ApiProperty() isDrill: boolean;
  @ApiProperty() safetyRequest: boolean;
  @ApiProperty({ enum: AlertStatus }) status: string;
  @ApiProperty({ ...nullableId, description: 'null: made by the system (a feed)' }) createdBy: string | null;
  @ApiProperty(operatorName) createdByName: string | null;
  @ApiProperty(nullableId) approvedBy: string | null;
  @ApiProperty(operatorName) approvedByName: string | null;
  @ApiProperty(nullableId) cancelledBy: string | null;
  @ApiProperty(operatorName) cancelledByName: string | null;
  @ApiProperty({ ...nullableId, description: 'a correction: the alert it replaces' }) supersedesId:
    string | null;
  @ApiProperty({ ...nullableId, description: 'a cancellation notice: the alert it announces cancelled' })
  cancelsAlertId: string | null;
  @ApiProperty({ nullable: true, type: String }) idempotencyKey: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
    description: '{ [channel]: { [delivery status]: n } }, kept by the fan-out',
  })
  counters: Record<string, Record<string, number>>;
  @ApiProperty(nullableDate) expiresAt: Date | null;
  @ApiProperty(nullableDate) submittedAt: Date | null;
  @ApiProperty(nullableDate) approvedAt: Date | null;
  @ApiProperty(nullableDate) dispatchedAt: Date | null;
  @ApiProperty(nullableDate) sentAt: Date | null;
  @ApiProperty(nullableDate) closedAt: Date | null;
  @ApiProperty(nullableDate) cancelledAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(e: AlertEntity): AlertView {
    return {
      id: e.id,
      municipalityId: e.municipalityId,
      source: e.source,
      eventId: e.eventId,
      templateKey: e.templateKey,
      texts: e.texts,
      severity: e.severity,
      targeting: e.targeting,
      channels: e.channels,
      isDrill: e.isDrill,
      safetyRequest: e.safetyRequest,
      status: e.status,
      createdBy: e.createdBy,
      createdByName: nameOf(e.creator),
      approvedBy: e.approvedBy,
      approvedByName: nameOf(e.approver),
      cancelledBy: e.cancelledBy,
      cancelledByName: nameOf(e.canceller),
      supersedesId: e.supersedesId,
      cancelsAlertId: e.cancelsAlertId,
      idempotencyKey: e.idempotencyKey,
      counters: e.counters,
      expiresAt: e.expiresAt,
      submittedAt: e.submittedAt,
      approvedAt: e.approvedAt,
      dispatchedAt: e.dispatchedAt,
      sentAt: e.sentAt,
      closedAt: e.closedAt,
      cancelledAt: e.cancelledAt,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }
}

export class AlertPage {
  @ApiProperty({ type: [AlertView], description: 'newest first' }) items: AlertView[];
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'pass back as `cursor` for the next page; absent on the last page',
  })
  nextCursor?: string;

  static of(page: Page<AlertEntity>): AlertPage {
    const items = page.items.map((a) => AlertView.of(a));
    return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
  }
}

/** Registered so that `texts` can reference it. */
export const ALERT_VIEW_MODELS = [AlertTextDto];
