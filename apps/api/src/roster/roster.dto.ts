import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  Channel,
  ConsentScope,
  EndpointStatus,
  type Language,
  LANGUAGES,
  PERSONAL_CHANNELS,
  SupporterRelation,
} from '@bousai/domain';

/** A query string's `true` / `false` as a boolean (anything else is left for the validator to refuse). */
export const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

const JMA_CODE = /^\d{2,7}$/;

export class UpdateMunicipalityDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) nameKana?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(JMA_CODE, { each: true })
  jmaCityCodes?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(JMA_CODE, { each: true })
  jmaQuakeAreaCodes?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(JMA_CODE, { each: true })
  jmaTsunamiAreaCodes?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(JMA_CODE, { each: true })
  jmaEewAreaCodes?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class CreateAreaDto {
  @ApiProperty({ example: '01' }) @IsString() @Matches(/^[A-Za-z0-9_-]{1,20}$/) code: string;
  @ApiProperty({ example: '荒島' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) nameKana?: string;
  @ApiPropertyOptional({ example: '3220600' }) @IsOptional() @Matches(/^\d{7}$/) jmaCityCode?: string;
  @ApiPropertyOptional({ example: '570' }) @IsOptional() @Matches(/^\d{3}$/) jmaQuakeAreaCode?: string;
  @ApiPropertyOptional({ example: '550' }) @IsOptional() @Matches(/^\d{3}$/) jmaTsunamiAreaCode?: string;
  @ApiPropertyOptional({ example: '570' }) @IsOptional() @Matches(/^\d{3}$/) jmaEewAreaCode?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'GeoJSON Polygon/MultiPolygon',
  })
  @IsOptional()
  @IsObject()
  polygon?: Record<string, unknown>;
}
export class UpdateAreaDto extends PartialType(CreateAreaDto) {}

export class AreaQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() code?: string;
}

export class CreateHouseholdDto {
  @ApiProperty({ description: '世帯番号 in the municipal register' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  externalId: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() areaId?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(300) address: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{3}-?\d{4}$/) postalCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9+\-() ]{6,20}$/) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsLatitude() latitude?: number;
  @ApiPropertyOptional() @IsOptional() @IsLongitude() longitude?: number;
}
export class UpdateHouseholdDto extends PartialType(CreateHouseholdDto) {}

export class HouseholdQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() areaId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() externalId?: string;
}

export class CreateResidentDto {
  @ApiProperty({ description: '住民番号 in the municipal register' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  externalId: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() householdId?: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) nameKana?: string;
  @ApiPropertyOptional({ enum: LANGUAGES, default: 'ja' }) @IsOptional() @IsIn(LANGUAGES) language?: Language;
  @ApiPropertyOptional({ description: '要援護者' }) @IsOptional() @IsBoolean() needsAssistance?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() staff?: boolean;
  @ApiPropertyOptional({ enum: ConsentScope, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(Object.values(ConsentScope), { each: true })
  consentScopes?: ConsentScope[];
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9+\-() ]{6,20}$/) phone?: string;
  @ApiPropertyOptional({
    enum: PERSONAL_CHANNELS,
    isArray: true,
    description:
      'Order of personal channels for alerts sent with ordered fallback; omitted: the municipality order',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(PERSONAL_CHANNELS, { each: true })
  channelOrder?: string[];
}
export class UpdateResidentDto extends PartialType(CreateResidentDto) {}

export class ResidentQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() householdId?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() needsAssistance?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() staff?: boolean;
  @ApiPropertyOptional({ enum: LANGUAGES }) @IsOptional() @IsIn(LANGUAGES) language?: Language;
  @ApiPropertyOptional() @IsOptional() @IsString() externalId?: string;
}

export class CreateSupporterDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ enum: SupporterRelation })
  @IsIn(Object.values(SupporterRelation))
  relation: SupporterRelation;
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt() @Min(1) @Max(20) priority: number;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9+\-() ]{6,20}$/) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'when the supporter is a registered resident' })
  @IsOptional()
  @IsUUID()
  supporterResidentId?: string;
}
export class UpdateSupporterDto extends PartialType(CreateSupporterDto) {}

export class EndpointQuery extends PageQuery {
  @ApiPropertyOptional({ enum: Channel }) @IsOptional() @IsIn(Object.values(Channel)) channel?: Channel;
  @ApiPropertyOptional({ enum: EndpointStatus })
  @IsOptional()
  @IsIn(Object.values(EndpointStatus))
  status?: EndpointStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() residentId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() householdId?: string;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional({ enum: EndpointStatus })
  @IsOptional()
  @IsIn(Object.values(EndpointStatus))
  status?: EndpointStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) deadReason?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) label?: string;
}

export class ProvisionReceiverDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() householdId: string;
  @ApiPropertyOptional({ description: 'printed on the device; generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9-]{4,40}$/)
  serial?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) label?: string;
}

export class ImportQuery {
  @ApiPropertyOptional({ enum: ['auto', 'utf-8', 'shift_jis'], default: 'auto' })
  @IsOptional()
  @IsIn(['auto', 'utf-8', 'shift_jis'])
  encoding?: 'auto' | 'utf-8' | 'shift_jis';
}
