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
import { Channel } from '@bousai/domain';

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
  @ApiPropertyOptional() title: string | null;
  @ApiProperty({ description: 'the drill alert: pending_approval, approved, dispatching, sent, cancelled…' })
  alertStatus: string;
  @ApiPropertyOptional({ format: 'uuid' }) scheduleId: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) scheduledAt: Date | null;
  @ApiPropertyOptional({ enum: ['scheduled', 'launched', 'cancelled', 'failed'] }) scheduleState:
    string | null;
  @ApiPropertyOptional({ format: 'date-time' }) launchedAt: Date | null;
  @ApiProperty() asked: number;
  @ApiProperty() answered: number;
}

export class DrillReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
