import { ApiProperty } from '@nestjs/swagger';
import { AlertStatus } from '@bousai/domain';
import type { LiveView } from './live-view';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class SafetyGroupLiveDto {
  @ApiProperty() asked: number;
  @ApiProperty() answered: number;
  @ApiProperty({ description: 'answered / asked' }) rate: number;
  @ApiProperty({ ...COUNTS, description: '{ [answer]: n }' }) byAnswer: Record<string, number>;
}

export class LiveRatesDto {
  @ApiProperty({ description: 'accepted by a provider or confirmed by a device, of everything planned' })
  reached: number;
  @ApiProperty({ description: 'confirmed by the device itself (delivered, played, read)' }) confirmed: number;
  @ApiProperty() failed: number;
  @ApiProperty({ description: 'never sent: no running fanout sends on their channel' }) undeliverable: number;
}

/** Deliveries per channel and status, totals and rates, and safety answers per group. */
export class LiveViewDto {
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ enum: AlertStatus }) status: string;
  @ApiProperty() isDrill: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: COUNTS,
    description: '{ [channel]: { [status]: n } }; statuses with no delivery are left out',
  })
  byChannel: Record<string, Record<string, number>>;
  @ApiProperty({ ...COUNTS, description: 'every delivery status and `planned`, 0 when none' })
  totals: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/SafetyGroupLiveDto' },
    description: 'per group: needs_assistance, staff, everyone',
  })
  safety: Record<string, SafetyGroupLiveDto>;
  @ApiProperty({ type: LiveRatesDto }) rates: LiveRatesDto;

  static of(v: LiveView): LiveViewDto {
    return {
      alertId: v.alertId,
      status: v.status,
      isDrill: v.isDrill,
      byChannel: v.byChannel,
      totals: v.totals,
      safety: v.safety,
      rates: v.rates,
    };
  }
}
