import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  EVACUATION_LEVELS,
  HandoffItemState,
  HandoffTarget,
  HandoffWarning,
  OrderMessageKind,
  OrderStatus,
} from '@bousai/domain';

export class HandoffItemDto {
  @ApiProperty({ enum: HandoffTarget }) target: HandoffTarget;
  @ApiProperty({ enum: HandoffItemState }) state: HandoffItemState;
  @ApiProperty({ type: String, nullable: true, description: 'the operator who settled it (id)' }) by:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the name of the operator who settled it' })
  byName: string | null;
  @ApiProperty({ type: Date, nullable: true }) at: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'a receipt number, or why it was not sent' })
  note: string | null;
}

/** One order step's hand-off: what changed, and the checklist of what the office enters by hand. */
export class EvacuationHandoffDto {
  @ApiProperty() id: string;
  @ApiProperty() orderId: string;
  @ApiProperty({ description: 'the order’s version after the step' }) version: number;
  @ApiProperty({ enum: OrderMessageKind }) change: OrderMessageKind;
  @ApiProperty({ example: '発令' }) changeName: string;
  @ApiProperty({ enum: OrderStatus }) status: OrderStatus;
  @ApiProperty({ enum: EVACUATION_LEVELS }) level: number;
  @ApiProperty({ example: '避難指示' }) levelName: string;
  @ApiProperty({ description: 'the districts of the L-Alert record', type: [String] })
  districtNames: string[];
  @ApiProperty({ description: 'when the step happened (JST)' }) changedAt: string;
  @ApiProperty({ type: [HandoffItemDto] }) items: HandoffItemDto[];
  @ApiProperty({ enum: HandoffTarget, isArray: true, description: 'the items still to do' })
  open: HandoffTarget[];
  @ApiProperty({
    enum: HandoffWarning,
    isArray: true,
    description: 'lalert_missing_after_area_mail: the area mail went out but L-Alert was never entered',
  })
  warnings: HandoffWarning[];
  @ApiProperty() createdAt: Date;
}

export class AreaMailDraftDto {
  @ApiProperty({ description: 'at most 15 characters' }) title: string;
  @ApiProperty({ description: 'at most 200 characters, no line breaks' }) body: string;
  @ApiProperty({ type: [String], description: 'the districts this mail names' }) districtCodes: string[];
}

/** Leading and trailing blanks dropped (a string only; anything else is left for the validator to refuse). */
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const HANDOFF_NOTE_MAX = 500;

export class HandoffItemDoneDto {
  @ApiPropertyOptional({
    description: 'e.g. the receipt number of the prefecture’s system; trimmed, empty means none',
    maxLength: HANDOFF_NOTE_MAX,
  })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(HANDOFF_NOTE_MAX)
  note?: string;
}

export class WaiveHandoffItemDto {
  @ApiProperty({ description: 'why the area mail is not sent' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}
