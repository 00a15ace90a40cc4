import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { VISITOR_LANGUAGES, VISITOR_MAX_DISTRICTS } from '@bousai/domain';
import { WebPushSubscriptionDoc } from '../resident/resident.dto';

const DISTRICTS: ApiPropertyOptions = {
  type: [String],
  format: 'uuid',
  minItems: 1,
  maxItems: VISITOR_MAX_DISTRICTS,
  description: 'the districts (ids from GET …/districts) whose public alerts this browser receives',
};

export class VisitorSubscribeDto {
  @ApiProperty({ type: WebPushSubscriptionDoc, description: 'PushSubscription.toJSON()' })
  @IsObject()
  subscription: Record<string, unknown>;

  @ApiProperty(DISTRICTS)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(VISITOR_MAX_DISTRICTS)
  @IsUUID('all', { each: true })
  districts: string[];

  @ApiProperty({ enum: VISITOR_LANGUAGES, description: 'the language alerts are sent in' })
  @IsIn(VISITOR_LANGUAGES)
  language: (typeof VISITOR_LANGUAGES)[number];
}

export class VisitorChangeDto {
  @ApiPropertyOptional(DISTRICTS)
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(VISITOR_MAX_DISTRICTS)
  @IsUUID('all', { each: true })
  districts?: string[];

  @ApiPropertyOptional({ enum: VISITOR_LANGUAGES })
  @IsOptional()
  @IsIn(VISITOR_LANGUAGES)
  language?: (typeof VISITOR_LANGUAGES)[number];
}

export class VisitorSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: [String], format: 'uuid' }) districts: string[];
  @ApiProperty({ enum: VISITOR_LANGUAGES }) language: string;
  @ApiProperty({
    enum: ['active', 'dead'],
    description: 'dead: the push service no longer knows the browser',
  })
  status: string;
  @ApiProperty() createdAt: Date;
}

export class VisitorSubscriptionCreatedDto extends VisitorSubscriptionDto {
  @ApiProperty({
    description:
      'shown once: the holder sends it as the X-Visitor-Secret header to change or remove the subscription',
  })
  secret: string;
}

export class PublicDistrictDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '中央地区' }) name: string;
  @ApiProperty({ nullable: true, type: String }) code: string | null;
}
