import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { Channel, DRILL_REPORT_GROUPS } from '@bousai/domain';
import type { DrillListItem } from '@bousai/persistence';
import type { DrillReport } from './drill-report';

export class DrillTargetingDto {
  @ApiPropertyOptional({ description: 'the whole municipality (default when no district is named)' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'districts (地区)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('4', { each: true })
  areaIds?: string[];

  @ApiPropertyOptional({
    enum: ['needs_assistance', 'staff'],
    isArray: true,
    description: 'only 要援護者 and/or staff in those places; empty: everyone',
  })
  @IsOptional()
  @IsArray()
  @IsIn(['needs_assistance', 'staff'], { each: true })
  groups?: ('needs_assistance' | 'staff')[];
}

export class LaunchDrillDto {
  @ApiPropertyOptional({ description: 'title (ja); 【訓練】 is added', default: '安否確認訓練' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string;

  @ApiPropertyOptional({ description: 'body (ja)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  body?: string;

  @ApiPropertyOptional({ type: DrillTargetingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DrillTargetingDto)
  targeting?: DrillTargetingDto;

  @ApiPropertyOptional({ enum: Channel, isArray: true, default: ['receiver', 'fcm'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(Object.values(Channel), { each: true })
  channels?: Channel[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'launch later; absent: now (as soon as the drill is approved)',
  })
  @IsOptional()
  @IsDateString()
  scheduledAt?: string;
}

export class DrillDto {
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ description: 'the drill alert: pending_approval, approved, dispatching, sent, cancelled…' })
  alertStatus: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) scheduleId: string | null;
  @ApiProperty({ nullable: true, type: Date }) scheduledAt: Date | null;
  @ApiProperty({ enum: ['scheduled', 'launched', 'cancelled', 'failed'], nullable: true, type: String })
  scheduleState: string | null;
  @ApiProperty({ nullable: true, type: Date }) launchedAt: Date | null;
  @ApiProperty() asked: number;
  @ApiProperty() answered: number;

  static of(d: DrillListItem): DrillDto {
    return {
      alertId: d.alertId,
      title: d.title,
      alertStatus: d.alertStatus,
      scheduleId: d.scheduleId,
      scheduledAt: d.scheduledAt,
      scheduleState: d.scheduleState,
      launchedAt: d.launchedAt,
      asked: d.asked,
      answered: d.answered,
    };
  }
}

export class DrillReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class CurvePointDto {
  @ApiProperty({ description: 'share of the asked: 0.25, 0.5, 0.75, 0.9, 1' }) share: number;
  @ApiProperty({ nullable: true, type: Number, description: 'minutes from launch; null: not reached' })
  minutes: number | null;
}

export class DistrictGroupResultDto {
  @ApiProperty({ enum: DRILL_REPORT_GROUPS }) group: string;
  @ApiProperty() asked: number;
  @ApiProperty() answered: number;
  @ApiProperty({ nullable: true, type: Number, description: 'answered / asked; null when nobody was asked' })
  rate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "the municipality's target rate" })
  target: number | null;
  @ApiProperty({ nullable: true, type: Boolean }) met: boolean | null;
}

export class GroupResultDto extends DistrictGroupResultDto {
  @ApiProperty({ ...COUNTS, description: '{ [answer]: n }' }) statuses: Record<string, number>;
  @ApiProperty({ type: [CurvePointDto] }) curve: CurvePointDto[];
}

export class DistrictResultDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) areaId: string | null;
  @ApiProperty({ nullable: true, type: String }) areaCode: string | null;
  @ApiProperty({ nullable: true, type: String }) areaName: string | null;
  @ApiProperty() asked: number;
  @ApiProperty() answered: number;
  @ApiProperty({ nullable: true, type: Number }) rate: number | null;
  @ApiProperty({ type: [DistrictGroupResultDto] }) groups: DistrictGroupResultDto[];
}

export class NonResponderSupporterDto {
  @ApiProperty() name: string;
  @ApiProperty() relation: string;
  @ApiProperty() priority: number;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
}

export class NonResponderEscalationDto {
  @ApiProperty() step: string;
  @ApiProperty() state: string;
  @ApiProperty({ nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ nullable: true, type: Number }) priority: number | null;
  @ApiProperty({ nullable: true, type: String }) supporterName: string | null;
}

export class NonResponderDto {
  @ApiProperty({ format: 'uuid' }) residentId: string;
  @ApiProperty() externalId: string;
  @ApiProperty() name: string;
  @ApiProperty() group: string;
  @ApiProperty({ nullable: true, type: String }) areaName: string | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ type: [NonResponderSupporterDto] }) supporters: NonResponderSupporterDto[];
  @ApiProperty({ type: [NonResponderEscalationDto] }) escalation: NonResponderEscalationDto[];
  @ApiProperty({ description: 'how the escalation ladder ended for them' }) escalationOutcome: string;
}

export class ComparedDrillDto {
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty() launchedAt: Date;
  @ApiProperty({ type: [GroupResultDto] }) groups: GroupResultDto[];
}

export class DrillSummaryDto {
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: Date }) launchedAt: Date | null;
}

/** A drill's report: per group and district, the confirmation curve, non-responders and earlier drills. */
export class DrillReportDto {
  @ApiProperty({ type: DrillSummaryDto }) drill: DrillSummaryDto;
  @ApiProperty() generatedAt: Date;
  @ApiProperty({ type: [GroupResultDto] }) groups: GroupResultDto[];
  @ApiProperty({ type: [DistrictResultDto] }) districts: DistrictResultDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: COUNTS,
    description: '{ [channel]: { [status]: n } } from the live counters',
  })
  deliveries: Record<string, Record<string, number>>;
  @ApiProperty({ type: [NonResponderDto] }) nonResponders: NonResponderDto[];
  @ApiProperty({ type: [ComparedDrillDto], description: 'earlier drills, newest first' })
  comparison: ComparedDrillDto[];

  /** The report's shape is built field by field in `drill-report.ts`; this only types it for the document. */
  static of(r: DrillReport): DrillReportDto {
    return r;
  }
}
