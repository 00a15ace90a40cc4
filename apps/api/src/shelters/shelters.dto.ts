import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  Crowding,
  CrowdingSource,
  ShelterFormat,
  ShelterHazard,
  ShelterKind,
  ShelterRowErrorCode,
  ShelterStatus,
} from '@bousai/domain';

const KINDS = Object.values(ShelterKind);
const STATUSES = Object.values(ShelterStatus);
const CROWDING = Object.values(Crowding);

export class ShelterImportQueryDto {
  @ApiPropertyOptional({ enum: ['auto', 'utf-8', 'shift_jis'], default: 'auto' })
  @IsOptional()
  @IsIn(['auto', 'utf-8', 'shift_jis'])
  encoding?: 'auto' | 'utf-8' | 'shift_jis';

  @ApiPropertyOptional({
    enum: KINDS,
    description:
      'which list the file is; by default told from its header (指定避難所との重複 → emergency_site, …)',
  })
  @IsOptional()
  @IsIn(KINDS)
  kind?: ShelterKind;
}

export class ShelterImportIssueDto {
  @ApiProperty({ description: '1-based line of the file; the header is line 1' }) line: number;
  @ApiProperty({ enum: [...Object.values(ShelterRowErrorCode), 'UNKNOWN_DISTRICT'] }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'the column as the file’s header writes it' }) column?: string;
}

export class ShelterImportReportDto {
  @ApiProperty({ enum: ShelterFormat }) format: ShelterFormat;
  @ApiProperty({ enum: ShelterKind }) kind: ShelterKind;
  @ApiProperty({ enum: ['utf-8', 'shift_jis'] }) encoding: 'utf-8' | 'shift_jis';
  @ApiProperty({ description: 'data records in the file' }) rows: number;
  @ApiProperty({ description: 'rows written or confirmed: inserted + updated + unchanged' }) imported: number;
  @ApiProperty() inserted: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty({ description: 'rows of another municipality (prefecture-wide files), left out' })
  otherMunicipality: number;
  @ApiProperty({ type: [String] }) ignoredColumns: string[];
  @ApiProperty({ type: [ShelterImportIssueDto], description: 'rows not imported, by line' })
  errors: ShelterImportIssueDto[];
  @ApiProperty({
    type: [ShelterImportIssueDto],
    description: 'rows imported with a remark: districts no area of the municipality is named or coded as',
  })
  warnings: ShelterImportIssueDto[];
}

export class ShelterListQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: ShelterStatus;
  @ApiPropertyOptional({ enum: KINDS }) @IsOptional() @IsIn(KINDS) kind?: ShelterKind;
}

export class ShelterLocationDto {
  @ApiProperty() lat: number;
  @ApiProperty() lng: number;
}

export class ShelterDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ShelterKind, description: 'emergency_site 指定緊急避難場所, shelter 指定避難所' })
  kind: ShelterKind;
  @ApiProperty({ description: 'the dataset’s ID / 共通ID' }) externalId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) nameKana: string | null;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: ShelterLocationDto, nullable: true }) location: ShelterLocationDto | null;
  @ApiProperty({ type: Number, nullable: true, description: '想定収容人数' }) capacity: number | null;
  @ApiProperty({ enum: ShelterHazard, isArray: true }) hazards: ShelterHazard[];
  @ApiProperty({ type: [String], description: '対象となる町会・自治会 as listed' }) districts: string[];
  @ApiProperty({ type: [String], description: 'the areas those districts matched' }) areaIds: string[];
  @ApiProperty({ enum: ShelterStatus }) status: ShelterStatus;
  @ApiProperty({ type: Date, nullable: true }) openedAt: Date | null;
  @ApiProperty({ enum: Crowding, nullable: true }) crowding: Crowding | null;
  @ApiProperty({ enum: CrowdingSource, nullable: true }) crowdingSource: CrowdingSource | null;
  @ApiProperty({ description: 'people present since it opened' }) headCount: number;
  @ApiProperty() updatedAt: Date;
}

export class CrowdingBodyDto {
  @ApiProperty({
    enum: CROWDING,
    description: '空き available, やや混雑 somewhat_crowded, 混雑 crowded, 満 full',
  })
  @IsIn(CROWDING)
  level: Crowding;
}

export class HeadCountBodyDto {
  @ApiProperty({ minimum: 0, maximum: 100000 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100000)
  headCount: number;
}

export class StaffCheckInDto {
  @ApiPropertyOptional({ description: 'a registered resident' }) @IsOptional() @IsUUID() residentId?: string;
  @ApiPropertyOptional({ description: 'a registered household: counts its members' })
  @IsOptional()
  @IsUUID()
  householdId?: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'someone not on the roster, by name' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100,
    default: 1,
    description: 'people with a name-only check-in',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  people?: number;
}

export class CheckInDto {
  @ApiProperty() id: string;
  @ApiProperty() shelterId: string;
  @ApiProperty({ type: String, nullable: true }) residentId: string | null;
  @ApiProperty({ type: String, nullable: true }) residentName: string | null;
  @ApiProperty({ type: String, nullable: true }) householdId: string | null;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty() people: number;
  @ApiProperty({ type: String, nullable: true, description: 'the alert whose safety request it answered' })
  alertId: string | null;
  @ApiProperty({ enum: ['self', 'staff'] }) checkedInBy: string;
  @ApiProperty() checkedInAt: Date;
}

export class SafetyAnsweredDto {
  @ApiProperty() alertId: string;
  @ApiProperty() residentId: string;
}

export class CheckInResultDto {
  @ApiProperty({ description: 'false: already checked in here since it opened; not counted again' })
  counted: boolean;
  @ApiProperty({ type: CheckInDto }) checkIn: CheckInDto;
  @ApiProperty({ type: ShelterDto }) shelter: ShelterDto;
  @ApiProperty({
    type: [SafetyAnsweredDto],
    description: 'open safety requests answered safe, at this shelter',
  })
  safetyAnswers: SafetyAnsweredDto[];
}

export class ShelterQrDto {
  @ApiProperty({ description: 'the signed token the shelter’s QR code carries' }) token: string;
  @ApiProperty({ description: 'what to print as the QR code: the app’s check-in page with the token' })
  url: string;
}

export class ResidentCheckInDto {
  @ApiProperty({ description: 'the token of the shelter’s QR code' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
}

export class ResidentCheckInResultDto {
  @ApiProperty() counted: boolean;
  @ApiProperty() shelterId: string;
  @ApiProperty() shelterName: string;
  @ApiProperty() checkedInAt: Date;
  @ApiProperty({ type: [SafetyAnsweredDto] }) safetyAnswers: SafetyAnsweredDto[];
}

export class PublicShelterDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ShelterKind }) kind: ShelterKind;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) address: string | null;
  @ApiProperty({ type: ShelterLocationDto, nullable: true }) location: ShelterLocationDto | null;
  @ApiProperty({ enum: ShelterHazard, isArray: true }) hazards: ShelterHazard[];
  @ApiProperty({ type: Number, nullable: true }) capacity: number | null;
  @ApiProperty({ enum: Crowding, nullable: true, description: 'unknown until counted or set' })
  crowding: Crowding | null;
  @ApiProperty({ type: Date, nullable: true }) openedAt: Date | null;
}

export class ResidentShelterDto extends PublicShelterDto {
  @ApiProperty({ description: 'it serves the resident’s district (or lists none, serving everyone)' })
  servesMyDistrict: boolean;
}

export class PublicShelterListDto {
  @ApiProperty() municipality: string;
  @ApiProperty({ type: [PublicShelterDto], description: 'open shelters only' }) shelters: PublicShelterDto[];
}
