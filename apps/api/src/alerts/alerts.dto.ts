import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ALERT_TEMPLATES, Channel, Severity } from '@bousai/domain';
import { IsLocalisedTexts } from './localised-texts.validator';

/** One language's text (the AlertTextDto schema the alerts controller registers). */
const TEXT_SCHEMA = { $ref: '#/components/schemas/AlertTextDto' };

export class TargetingDto {
  @ApiPropertyOptional({ description: 'everyone in the municipality' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  areaIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'JMA codes: 市町村等, 地震/EEW 細分区域, 津波予報区' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{2,7}$/, { each: true })
  jmaCodes?: string[];
  @ApiPropertyOptional({ enum: ['needs_assistance', 'staff'], isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(['needs_assistance', 'staff'], { each: true })
  groups?: ('needs_assistance' | 'staff')[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  // any version: household ids are UUIDv7 (time-ordered)
  @IsUUID('all', { each: true })
  householdIds?: string[];
}

export class CreateAlertDto {
  @ApiPropertyOptional({ enum: ALERT_TEMPLATES.map((t) => t.key) })
  @IsOptional()
  @IsIn(ALERT_TEMPLATES.map((t) => t.key))
  templateKey?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'values for the template placeholders, e.g. { "area": "荒島地区" }',
  })
  @IsOptional()
  @IsObject()
  placeholders?: Record<string, string>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: TEXT_SCHEMA,
    description: '{ [language]: { title, body } }; ja is required unless a template supplies it',
    example: { ja: { title: '避難指示', body: '直ちに避難してください。' } },
  })
  @IsOptional()
  @IsLocalisedTexts()
  texts?: Record<string, { title: string; body: string }>;

  @ApiPropertyOptional({ enum: Severity }) @IsOptional() @IsIn(Object.values(Severity)) severity?: Severity;

  @ApiProperty({ type: TargetingDto }) @ValidateNested() @Type(() => TargetingDto) targeting: TargetingDto;

  @ApiPropertyOptional({ enum: Channel, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(Object.values(Channel), { each: true })
  channels?: Channel[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() isDrill?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() safetyRequest?: boolean;

  @ApiPropertyOptional({
    description: 'minutes until the alert is stale (push TTL, store-and-forward window)',
    default: 180,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  expiresInMinutes?: number;
}

export class CorrectAlertDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: TEXT_SCHEMA,
    description: 'the corrected texts, { [language]: { title, body } }',
  })
  @IsLocalisedTexts()
  texts: Record<string, { title: string; body: string }>;

  @ApiPropertyOptional({ enum: Severity }) @IsOptional() @IsIn(Object.values(Severity)) severity?: Severity;
}

export class AlertListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @MaxLength(40)
  cursor?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(30) status?: string;
}
