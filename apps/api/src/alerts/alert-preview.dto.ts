import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AlertProblemCode, Channel, PublicationTarget } from '@bousai/domain';

export class AudienceCountDto {
  @ApiProperty({ description: 'endpoints (devices, subscriptions, addresses) in the audience' })
  endpoints: number;
  @ApiProperty({ description: 'people they reach: their resident, or everyone of a receiver’s household' })
  residents: number;
  @ApiProperty() households: number;
}

export class AudienceGroupCountsDto {
  @ApiProperty({ type: AudienceCountDto }) everyone: AudienceCountDto;
  @ApiProperty({ type: AudienceCountDto, description: '要援護者' }) needs_assistance: AudienceCountDto;
  @ApiProperty({ type: AudienceCountDto, description: '職員' }) staff: AudienceCountDto;
}

export class ChannelTextLimitDto {
  @ApiProperty({ enum: ['hard', 'soft'], description: 'hard: refused when over; soft: shortened with “…”' })
  kind: 'hard' | 'soft';
  @ApiProperty({ enum: ['body', 'message', 'payload'] }) applies: 'body' | 'message' | 'payload';
  @ApiProperty({ enum: ['utf16', 'utf8-bytes'] }) unit: 'utf16' | 'utf8-bytes';
  @ApiProperty() max: number;
}

export class ChannelTextPreviewDto {
  @ApiProperty({ enum: Channel }) channel: Channel;
  @ApiProperty({ description: 'the reader’s language' }) language: string;
  @ApiProperty({ description: 'the language of the text they get (fallback chain)' }) rendered: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'the channel cut the text to its limit' }) shortened: boolean;
  @ApiProperty({ type: ChannelTextLimitDto, nullable: true }) limit: ChannelTextLimitDto | null;
}

export class AlertProblemDto {
  @ApiProperty({ enum: AlertProblemCode }) code: AlertProblemCode;
  @ApiProperty({ enum: ['error', 'warning'], description: 'errors refuse the alert; warnings let it go out' })
  severity: 'error' | 'warning';
  @ApiProperty() message: string;
  @ApiPropertyOptional({ type: [String], description: 'the unknown ids or codes' }) ids?: string[];
  @ApiPropertyOptional({ enum: Channel }) channel?: Channel;
  @ApiPropertyOptional() language?: string;
  @ApiPropertyOptional({ type: ChannelTextLimitDto }) limit?: ChannelTextLimitDto;
  @ApiPropertyOptional({ description: 'the text’s length in the limit’s unit' }) length?: number;
}

export class ChannelPreviewDto {
  @ApiProperty({ enum: Channel }) channel: Channel;
  @ApiProperty({
    description: 'a running fanout sends on it; if not, its deliveries are recorded undeliverable',
  })
  served: boolean;
  @ApiProperty({ type: AudienceGroupCountsDto }) audience: AudienceGroupCountsDto;
  @ApiProperty({ type: [ChannelTextPreviewDto] }) texts: ChannelTextPreviewDto[];
}

export class AlertPreviewDto {
  @ApiProperty({
    enum: ['parallel', 'ordered'],
    description: 'the municipality’s channel fallback mode for it',
  })
  mode: 'parallel' | 'ordered';
  @ApiProperty({ type: AudienceGroupCountsDto, description: 'reached on served channels, each person once' })
  audience: AudienceGroupCountsDto;
  @ApiProperty({
    description:
      'visitor Web Push subscriptions (旅行者) it reaches besides: public alerts of their chosen districts only — never a group or household alert, never a drill, and only on a served Web Push',
  })
  visitors: number;
  @ApiProperty({ type: [ChannelPreviewDto] }) channels: ChannelPreviewDto[];
  @ApiProperty({ enum: Channel, isArray: true, description: 'channels no running fanout sends on' })
  unservedChannels: Channel[];
  @ApiProperty({ enum: PublicationTarget, isArray: true }) publications: PublicationTarget[];
  @ApiProperty({ type: [AlertProblemDto] }) problems: AlertProblemDto[];
}
