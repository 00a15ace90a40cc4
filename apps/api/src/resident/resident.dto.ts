import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Channel, LANGUAGES } from '@bousai/domain';

export const SELF_SERVICE_CHANNELS = [Channel.Fcm, Channel.WebPush, Channel.Email, Channel.Line] as const;

export class EnrolDto {
  @ApiProperty({ example: 'K7QM-3XPD-9TRW', description: 'the code the municipality gave the resident' })
  @IsString()
  @MinLength(8)
  @MaxLength(40)
  code: string;

  @ApiPropertyOptional({ example: 'Pixel 8' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  deviceLabel?: string;
}

export class ResidentCredentialDto {
  @ApiProperty({ description: 'device-bound bearer credential; store it in the app’s secure storage' })
  credential: string;
  @ApiProperty({ format: 'uuid' }) residentId: string;
}

class WebPushKeysDoc {
  @ApiProperty() p256dh: string;
  @ApiProperty() auth: string;
}
export class WebPushSubscriptionDoc {
  @ApiProperty() endpoint: string;
  @ApiProperty({ type: WebPushKeysDoc }) keys: WebPushKeysDoc;
}

/** Exactly one of token / subscription / email / lineUserId, matching `channel`. */
export class RegisterEndpointDto {
  @ApiProperty({ enum: SELF_SERVICE_CHANNELS })
  @IsIn(SELF_SERVICE_CHANNELS)
  channel: (typeof SELF_SERVICE_CHANNELS)[number];

  @ApiPropertyOptional({ description: 'fcm: the registration token from getToken()' })
  @IsOptional()
  @IsString()
  token?: string;

  @ApiPropertyOptional({ type: WebPushSubscriptionDoc, description: 'webpush: PushSubscription.toJSON()' })
  @IsOptional()
  @IsObject()
  subscription?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'email: the address (confirmed by a link before use)' })
  @IsOptional()
  @IsString()
  email?: string;

  @ApiPropertyOptional({ description: 'line: the user id from the LINE official account' })
  @IsOptional()
  @IsString()
  lineUserId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) label?: string;
}

export class OwnEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: Channel }) channel: string;
  @ApiProperty({ enum: ['active', 'dead'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) label: string | null;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({
    description: 'email: whether the address was confirmed by its link (only those get mail)',
  })
  confirmed?: boolean;
  @ApiPropertyOptional({
    enum: ['queued', 'unavailable'],
    description:
      'email, unconfirmed: `queued` when the confirmation mail was asked for (a fanout with an email sender mails ' +
      'it), `unavailable` when addresses cannot be confirmed (ONE_TAP_SECRET unset); absent for a confirmed address',
  })
  confirmation?: 'queued' | 'unavailable';
}

export class ResidentProfileDto {
  @ApiProperty({ format: 'uuid' }) residentId: string;
  @ApiProperty({ example: '322067', description: 'the municipality (全国地方公共団体コード)' })
  municipalityCode: string;
  @ApiProperty({ example: '安来市' }) municipalityName: string;
  @ApiProperty({ example: 'ja', description: 'the language the office sends this resident alerts in' })
  language: string;
  @ApiProperty({ nullable: true, type: String, description: 'the district of their household' })
  areaName: string | null;
  @ApiProperty({
    type: [String],
    description: 'districts besides their home one they also get alerts for (a workplace, a school)',
  })
  extraAreaIds: string[];
}

/** What a resident changes from the app; only the fields given change. */
export class UpdateResidentSettingsDto {
  @ApiPropertyOptional({
    enum: LANGUAGES,
    description: "the language of this resident's alerts (pushes, mails, the app's list)",
  })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 10,
    description:
      "districts of the resident's municipality to get alerts for besides their home (replaces the list)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  extraAreaIds?: string[];
}

export class ResidentAreaDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '安来地区' }) name: string;
}

export class ResidentAlertsQueryDto {
  @ApiPropertyOptional({ example: 'en', description: "the texts' language (default: the resident's own)" })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  lang?: string;
}

export class ResidentAlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    description: 'in the language asked for (fallback: English, やさしい日本語, Japanese); drills marked',
  })
  title: string;
  @ApiProperty() body: string;
  @ApiProperty({ description: 'the language of title and body' }) language: string;
  @ApiProperty({ enum: ['extreme', 'severe', 'moderate', 'minor', 'unknown'] }) severity: string;
  @ApiProperty() isDrill: boolean;
  @ApiProperty({ description: 'the office asks this resident for a safety answer' }) safetyRequest: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'a cancellation notice of that alert',
  })
  cancelsAlertId: string | null;
  @ApiProperty({ description: 'cancelled or superseded alerts are no longer in force' }) status: string;
  @ApiProperty() dispatchedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({
    nullable: true,
    enum: ['safe', 'need_help', 'injured', 'other'],
    description: "this resident's own safety answer, once given",
  })
  myAnswer: string | null;
}

export class WebPushKeyDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "the VAPID public key (base64url), the page's applicationServerKey; null when Web Push is off",
  })
  vapidPublicKey: string | null;
}
