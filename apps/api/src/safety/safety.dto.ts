import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  EscalationOutcome,
  findInputProblem,
  OPERATOR_RESPONSE_CHANNELS,
  ResponseChannel,
  SAFETY_GROUPS,
  type SafetyGroup,
  SafetyStatus,
} from '@bousai/domain';
import { isRecord, numberWithin, onlyKeys } from '../input/plain-body';

export class SafetyLocationDto {
  @ApiProperty({ minimum: -90, maximum: 90 }) @IsNumber() @Min(-90) @Max(90) lat: number;
  @ApiProperty({ minimum: -180, maximum: 180 }) @IsNumber() @Min(-180) @Max(180) lng: number;
}

export class CreateSafetyRequestDto {
  @ApiPropertyOptional({
    enum: SAFETY_GROUPS,
    isArray: true,
    description: 'who to ask among the places named (default everyone)',
  })
  @IsOptional()
  @IsArray()
  @IsIn(SAFETY_GROUPS, { each: true })
  groups?: SafetyGroup[];

  @ApiPropertyOptional({ type: [String], description: 'districts; none: the whole municipality' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  areaIds?: string[];
}

export class SafetyRequestCreatedDto {
  @ApiProperty() alertId: string;
  @ApiProperty({
    description:
      'residents newly asked (already asked ones are kept as they are; for a correction, those who answered the alert it corrects keep that answer and are not counted)',
  })
  asked: number;
}

export class ResidentSafetyAnswerDto {
  @ApiProperty({ enum: SafetyStatus }) @IsIn(Object.values(SafetyStatus)) answer: SafetyStatus;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) note?: string;
  @ApiPropertyOptional({ type: SafetyLocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SafetyLocationDto)
  location?: SafetyLocationDto;
  @ApiPropertyOptional({ enum: [ResponseChannel.App, ResponseChannel.Pwa], default: ResponseChannel.App })
  @IsOptional()
  @IsIn([ResponseChannel.App, ResponseChannel.Pwa])
  via?: ResponseChannel.App | ResponseChannel.Pwa;
}

const SAFETY_STATUSES: readonly unknown[] = Object.values(SafetyStatus);
const RESIDENT_CHANNELS: readonly unknown[] = [ResponseChannel.App, ResponseChannel.Pwa];

/**
 * A plain resident answer, for the route served before express (`safetyDeviceRoute`): a body the DTO above accepts
 * unchanged. Narrower than the DTO (a note of at most 500 UTF-16 units, no other keys, nothing null); whatever it
 * does not accept goes through the Nest route, whose pipes give the usual answer. `safety.dto.spec.ts` checks
 * that everything accepted here passes the DTO too.
 */
export function isPlainSafetyAnswer(body: unknown): body is ResidentSafetyAnswerDto {
  if (!isRecord(body) || !onlyKeys(body, ['answer', 'note', 'location', 'via'])) return false;
  const { answer, note, location, via } = body;
  if (!SAFETY_STATUSES.includes(answer)) return false;
  if (via !== undefined && !RESIDENT_CHANNELS.includes(via)) return false;
  if (note !== undefined && (typeof note !== 'string' || note.length > 500)) return false;
  if (location !== undefined) {
    if (!isRecord(location) || !onlyKeys(location, ['lat', 'lng'])) return false;
    if (!numberWithin(location.lat, -90, 90) || !numberWithin(location.lng, -180, 180)) return false;
  }
  // what the input pipe refuses (NUL, lone surrogates) is its to answer
  return findInputProblem(body) === null;
}

export class OperatorSafetyResponseDto {
  @ApiProperty() @IsUUID() residentId: string;
  @ApiProperty({ enum: SafetyStatus }) @IsIn(Object.values(SafetyStatus)) answer: SafetyStatus;
  @ApiProperty({ enum: OPERATOR_RESPONSE_CHANNELS })
  @IsIn(OPERATOR_RESPONSE_CHANNELS)
  channel: (typeof OPERATOR_RESPONSE_CHANNELS)[number];
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) note?: string;
  @ApiPropertyOptional({ type: SafetyLocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SafetyLocationDto)
  location?: SafetyLocationDto;
}

export class SafetyAnswerRecordedDto {
  @ApiProperty({ description: 'the safety_response id (history row)' }) id: string;
  @ApiProperty() alertId: string;
  @ApiProperty() residentId: string;
  @ApiProperty({ enum: SafetyStatus }) currentStatus: string;
}

export class OneTapQueryDto {
  @ApiProperty({ description: 'the signed one-tap token from the link' })
  @IsString()
  @MaxLength(2000)
  token: string;
}

export class OneTapSafetyPostDto extends OneTapQueryDto {
  @ApiPropertyOptional({
    enum: SafetyStatus,
    description: 'if sent, must be the answer the token was made for (else 403)',
  })
  @IsOptional()
  @IsString()
  answer?: string;
}

export class OneTapSupporterPostDto extends OneTapQueryDto {
  @ApiPropertyOptional({
    enum: EscalationOutcome,
    description: 'if sent, must be the outcome the token was made for (else 403)',
  })
  @IsOptional()
  @IsString()
  outcome?: string;
}

export class SafetyResponseViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: SafetyStatus }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) note: string | null;
  @ApiPropertyOptional({ nullable: true, type: SafetyLocationDto }) location: SafetyLocationDto | null;
  @ApiProperty({ enum: ResponseChannel }) channel: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'operator who recorded it' })
  recordedBy: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: '家族の安否: the household member who gave this answer for the resident from their own app',
  })
  answeredByResidentId: string | null;
  @ApiProperty() respondedAt: Date;
}

export class SafetyRequestViewDto {
  @ApiProperty() requestId: string;
  @ApiProperty() alertId: string;
  @ApiProperty() residentId: string;
  @ApiProperty({ enum: SAFETY_GROUPS }) targetGroup: string;
  @ApiPropertyOptional({ nullable: true, enum: SafetyStatus }) currentStatus: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) answeredAt: Date | null;
  @ApiProperty({ type: [SafetyResponseViewDto], description: 'every answer, oldest first' })
  history: SafetyResponseViewDto[];
}

/** 家族の安否: another member of the caller's household the alert asked, with their answer (display name only). */
export class HouseholdMemberSafetyDto {
  @ApiProperty({ format: 'uuid' }) residentId: string;
  @ApiProperty({ example: '安来 花子', description: "the roster's name; no other personal data" })
  displayName: string;
  @ApiProperty({ nullable: true, enum: SafetyStatus, description: 'their current answer, once given' })
  currentStatus: string | null;
  @ApiProperty({ nullable: true, type: Date }) answeredAt: Date | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'the household member who gave the current answer for them; null when they answered themselves',
  })
  answeredByName: string | null;
  @ApiProperty({ description: 'the caller gave the current answer on their behalf' }) answeredByMe: boolean;
}

export class SafetySummaryRowDto {
  @ApiProperty({ enum: SAFETY_GROUPS }) targetGroup: string;
  @ApiProperty({ description: 'current status, or `unanswered`' }) status: string;
  @ApiProperty() count: number;
}

export class SupporterOutcomeDto {
  @ApiPropertyOptional({ nullable: true, type: String }) supporterId: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) priority: number | null;
  @ApiPropertyOptional({ nullable: true, enum: EscalationOutcome }) outcome: string | null;
  @ApiProperty() state: string;
}

export class FollowUpEntryDto {
  @ApiProperty() taskId: string;
  @ApiProperty() residentId: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) householdPhone: string | null;
  @ApiProperty() dueAt: Date;
  @ApiProperty({ type: [SupporterOutcomeDto] }) supporterOutcomes: SupporterOutcomeDto[];
}
