import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DeliveryStatus } from '@bousai/domain';

/** The stages a resident's app or browser acknowledges. */
export const ACK_STAGES = [DeliveryStatus.Delivered, DeliveryStatus.Read] as const;
export type AckStageValue = (typeof ACK_STAGES)[number];

/** Acks per request: an app that was offline sends what it queued in one go. */
export const MAX_ACKS_PER_REQUEST = 500;

const DELIVERY_ID_PATTERN = /^[1-9][0-9]{0,18}$/;

class AckFields {
  @ApiProperty({
    enum: ACK_STAGES,
    description: 'delivered: the alert reached the device; read: it was opened',
  })
  @IsIn(ACK_STAGES)
  stage: AckStageValue;

  @ApiPropertyOptional({
    format: 'date-time',
    description: "the device's own time of the event, kept beside the server's",
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  deviceAt?: string;
}

export class AckDto extends AckFields {
  @ApiProperty({ example: '1234567', description: 'the `deliveryId` of the push message' })
  @IsString()
  @Matches(DELIVERY_ID_PATTERN, { message: 'deliveryId must be a delivery id' })
  deliveryId: string;
}

export class AcksDto {
  @ApiProperty({ type: [AckDto], minItems: 1, maxItems: MAX_ACKS_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ACKS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => AckDto)
  acks: AckDto[];
}

export class SignedAckDto extends AckFields {
  @ApiProperty({ description: 'the `ackToken` of the push message (per delivery, signed, expiring)' })
  @IsString()
  @MaxLength(256)
  token: string;
}

class AckErrorDto {
  @ApiProperty({ example: 'NOT_FOUND' }) code: string;
  @ApiProperty() message: string;
}

export class AckResultDto {
  @ApiProperty() deliveryId: string;
  @ApiProperty({ enum: ACK_STAGES }) stage: AckStageValue;
  @ApiProperty({ description: 'true once the ack is durable (repeats of a recorded ack are true too)' })
  recorded: boolean;
  @ApiPropertyOptional({
    enum: DeliveryStatus,
    description: 'the delivery status after this ack; stages only move forward, final ones stay',
  })
  status?: DeliveryStatus;
  @ApiPropertyOptional({ type: AckErrorDto, description: 'why the ack was not recorded' })
  error?: AckErrorDto;
}

export class AcksResultDto {
  @ApiProperty({ description: 'how many of `results` were recorded' }) recorded: number;
  @ApiProperty({ type: [AckResultDto], description: 'one per ack, in request order' })
  results: AckResultDto[];
}
