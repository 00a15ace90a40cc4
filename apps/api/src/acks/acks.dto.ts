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
  isISO8601,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DeliveryStatus } from '@bousai/domain';
import { isRecord, onlyKeys } from '../input/plain-body';

/** The stages a resident's app or browser acknowledges. */
export const ACK_STAGES = [DeliveryStatus.Delivered, DeliveryStatus.Read] as const;
export type AckStageValue = (typeof ACK_STAGES)[number];

/** Acks per request: an app that was offline sends what it queued in one go. */
export const MAX_ACKS_PER_REQUEST = 500;

const DELIVERY_ID_PATTERN = /^[1-9][0-9]{0,18}$/;

const DEVICE_AT_FORMAT = { strict: true, strictSeparator: true } as const;

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
  @IsISO8601(DEVICE_AT_FORMAT)
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

/*
 * Plain bodies, for the device routes served before express (`DeviceFastPath`): a quick check that a parsed body is
 * one the DTO above accepts unchanged. It is narrower than the DTO (printable ASCII tokens, device times after
 * 1970, no other keys, nothing null): whatever it does not accept goes through the Nest route, whose pipes give
 * the usual answer. `acks-fast-path.spec.ts` checks that everything accepted here passes the DTO too.
 */

const PLAIN_TOKEN = /^[\x21-\x7e]{1,256}$/;
const PLAIN_DEVICE_AT = /^(19[7-9]\d|[2-9]\d{3})-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/;

function plainAckFields(value: Record<string, unknown>): boolean {
  const { stage, deviceAt } = value;
  if (stage !== DeliveryStatus.Delivered && stage !== DeliveryStatus.Read) return false;
  return (
    deviceAt === undefined ||
    (typeof deviceAt === 'string' && PLAIN_DEVICE_AT.test(deviceAt) && isISO8601(deviceAt, DEVICE_AT_FORMAT))
  );
}

/** A plain object of only these keys, `key` a string matching `pattern`, and plain ack fields. */
function plainAck(value: unknown, keys: readonly string[], key: string, pattern: RegExp): boolean {
  if (!isRecord(value) || !onlyKeys(value, keys)) return false;
  const id = value[key];
  return typeof id === 'string' && pattern.test(id) && plainAckFields(value);
}

export function isPlainSignedAck(body: unknown): body is SignedAckDto {
  return plainAck(body, ['token', 'stage', 'deviceAt'], 'token', PLAIN_TOKEN);
}

function isPlainAck(value: unknown): value is AckDto {
  return plainAck(value, ['deliveryId', 'stage', 'deviceAt'], 'deliveryId', DELIVERY_ID_PATTERN);
}

export function isPlainAcks(body: unknown): body is AcksDto {
  if (!isRecord(body) || !onlyKeys(body, ['acks']) || !Array.isArray(body.acks)) return false;
  const { acks } = body;
  return acks.length >= 1 && acks.length <= MAX_ACKS_PER_REQUEST && acks.every(isPlainAck);
}
