import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  AlertStatus,
  EVACUATION_LEVELS,
  Hazard,
  OrderAction,
  OrderMessageKind,
  OrderSource,
  OrderStatus,
  Severity,
} from '@bousai/domain';
import { ProposalKind } from '@bousai/persistence';

const HAZARDS = Object.values(Hazard);
const STATUSES = Object.values(OrderStatus);
const LEVEL_DOC = '警戒レベル: 3 高齢者等避難, 4 避難指示, 5 緊急安全確保';
const MAX_DISTRICTS = 1000;

/** An optional list of area codes. */
const DistrictCodes = () =>
  applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_DISTRICTS),
    IsString({ each: true }),
    MinLength(1, { each: true }),
  );

export class EvacuationOrderListQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: OrderStatus;
}

/** The version the caller last saw: a step on an order that moved on since is a 409. */
export class OrderCommandDto {
  @ApiProperty({ description: 'the order’s version the caller saw', minimum: 1 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  expectedVersion: number;
}

export class CreateEvacuationOrderDto {
  @ApiProperty({ enum: HAZARDS }) @IsIn(HAZARDS) hazard: Hazard;

  /** Checked by the use case (3–5) so the message names the levels. */
  @ApiProperty({ enum: EVACUATION_LEVELS, description: LEVEL_DOC }) @IsInt() level: number;

  @ApiPropertyOptional({
    type: [String],
    description: 'the districts’ area codes (the roster’s); or wholeMunicipality: true',
  })
  @DistrictCodes()
  districtCodes?: string[];

  @ApiPropertyOptional({ description: '全域: the whole municipality (no districtCodes)' })
  @IsOptional()
  @IsBoolean()
  wholeMunicipality?: boolean;
}

export class ChangeLevelDto extends OrderCommandDto {
  @ApiProperty({ enum: EVACUATION_LEVELS, description: LEVEL_DOC }) @IsInt() level: number;
}

export class ChangeDistrictsDto extends OrderCommandDto {
  @ApiPropertyOptional({ type: [String], description: 'area codes to add (対象地区追加)' })
  @DistrictCodes()
  add?: string[];

  @ApiPropertyOptional({ type: [String], description: 'area codes to remove (一部解除)' })
  @DistrictCodes()
  remove?: string[];
}

export class RetractOrderDto extends OrderCommandDto {
  @ApiProperty({ description: 'why it was issued by mistake (kept in the history)' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class OrderDistrictDto {
  @ApiProperty() areaId: string;
  @ApiProperty({ description: 'the roster’s area code' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) nameKana: string | null;
}

export class OrderDistrictWithCountsDto extends OrderDistrictDto {
  @ApiProperty({ description: '対象世帯数: households the roster has in the district' }) households: number;
  @ApiProperty({ description: '対象者数: people the roster has in the district' }) people: number;
}

export class EvacuationOrderDto {
  @ApiProperty() id: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty({ enum: Hazard }) hazard: Hazard;
  @ApiProperty({ enum: EVACUATION_LEVELS, description: LEVEL_DOC }) level: number;
  @ApiProperty({ description: '全域: districts is then empty' }) wholeMunicipality: boolean;
  @ApiProperty({ type: [OrderDistrictDto] }) districts: OrderDistrictDto[];
  @ApiProperty({ enum: OrderStatus }) status: OrderStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the operator who drafted it; null when the feeds did',
  })
  createdBy: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'that operator’s name (display name, else e-mail); null when the feeds drafted it (see source)',
  })
  createdByName: string | null;
  @ApiProperty({ type: Date, nullable: true }) issuedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) liftedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) retractedAt: Date | null;
  @ApiProperty({ description: 'send it back as expectedVersion with the next command' }) version: number;
  @ApiProperty({ enum: OrderSource }) source: OrderSource;
  @ApiProperty({ type: String, nullable: true }) sourceDocumentId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class OrderAlertRefDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: AlertStatus, description: 'pending_approval: waits for a second person' })
  status: AlertStatus;
}

export class OrderHistoryEntryDto {
  @ApiProperty({ description: 'the order’s version after the step' }) version: number;
  @ApiProperty({ enum: OrderAction }) action: OrderAction;
  @ApiProperty() at: Date;
  @ApiProperty({ description: 'the operator who made the step' }) actorId: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'that operator’s name (display name, else e-mail)',
  })
  actorName: string | null;
  @ApiProperty({ enum: OrderStatus }) fromStatus: OrderStatus;
  @ApiProperty({ enum: OrderStatus }) toStatus: OrderStatus;
  @ApiProperty({ enum: EVACUATION_LEVELS }) level: number;
  @ApiProperty({ type: Number, nullable: true, enum: EVACUATION_LEVELS }) previousLevel: number | null;
  @ApiProperty() wholeMunicipality: boolean;
  @ApiProperty({ type: [String] }) districtCodes: string[];
  @ApiProperty({ type: [String], description: 'the districts the step added or removed' })
  changedDistrictCodes: string[];
  @ApiProperty({ enum: OrderMessageKind, nullable: true, description: 'null: residents heard nothing' })
  messageKind: OrderMessageKind | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: OrderAlertRefDto, nullable: true, description: 'the alert the message became' })
  alert: OrderAlertRefDto | null;
}

/** A JMA telegram's proposal to lower or lift an issued order: for people to apply or dismiss. */
export class EvacuationProposalDto {
  @ApiProperty() id: string;
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: ProposalKind }) kind: ProposalKind;
  @ApiProperty({ enum: HAZARDS }) hazard: Hazard;
  @ApiProperty({
    enum: EVACUATION_LEVELS,
    description: 'lower: the level proposed; lift: the level that ends',
  })
  level: number;
  @ApiProperty({ type: [String], description: 'the order’s districts the telegram named' })
  districtCodes: string[];
  @ApiProperty({ type: String, nullable: true, description: 'the feed document behind it' })
  sourceDocumentId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, nullable: true }) dismissedBy: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the dismissing operator’s name (display name, else e-mail)',
  })
  dismissedByName: string | null;
  @ApiProperty({ type: Date, nullable: true }) dismissedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) appliedBy: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the name of the operator whose level or lift step applied it',
  })
  appliedByName: string | null;
  @ApiProperty({ type: Date, nullable: true }) appliedAt: Date | null;
}

export class EvacuationOrderDetailDto extends OmitType(EvacuationOrderDto, ['districts'] as const) {
  @ApiProperty({ type: [OrderDistrictWithCountsDto] }) districts: OrderDistrictWithCountsDto[];
  @ApiProperty({ type: [OrderHistoryEntryDto], description: 'every step, oldest first' })
  history: OrderHistoryEntryDto[];
  @ApiProperty({
    type: [EvacuationProposalDto],
    description:
      'open proposals (neither dismissed nor applied); applying one is the normal level/lift command',
  })
  proposals: EvacuationProposalDto[];
}

export class OrderStepAlertDto extends OrderAlertRefDto {
  @ApiProperty({ type: String, nullable: true, description: 'evacuation.level4.issue, …' })
  templateKey: string | null;
  @ApiProperty({ enum: Severity }) severity: Severity;
}

export class EvacuationOrderStepDto {
  @ApiProperty({ type: EvacuationOrderDto }) order: EvacuationOrderDto;
  @ApiProperty({
    type: [OrderStepAlertDto],
    description: 'the alerts the step’s messages became (none for a draft edited or discarded)',
  })
  alerts: OrderStepAlertDto[];
}

export class InForceOrderDto {
  @ApiProperty() orderId: string;
  @ApiProperty({ enum: Hazard }) hazard: Hazard;
  @ApiProperty({ enum: EVACUATION_LEVELS }) level: number;
  @ApiProperty({ type: Date, nullable: true }) issuedAt: Date | null;
}

export class DistrictInForceDto {
  @ApiProperty() areaId: string;
  @ApiProperty() districtCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) nameKana: string | null;
  @ApiProperty({ enum: EVACUATION_LEVELS, description: 'the highest level in force there' }) level: number;
  @ApiProperty({ enum: Hazard, description: 'the hazard of the highest order' }) hazard: Hazard;
  @ApiProperty({ type: [InForceOrderDto], description: 'highest level first, then the latest issued' })
  orders: InForceOrderDto[];
  @ApiProperty({ type: Date, nullable: true, description: 'the earliest issue among them' })
  since: Date | null;
  @ApiProperty() households: number;
  @ApiProperty() people: number;
}

export class EvacuationProposalListQueryDto {
  @ApiPropertyOptional({ description: 'only the proposals concerning this order' })
  @IsOptional()
  @IsUUID()
  orderId?: string;
}
