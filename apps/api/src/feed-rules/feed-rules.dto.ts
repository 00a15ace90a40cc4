import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsArray } from 'class-validator';

const RULE_DOC =
  'A feed rule: `{ id, name, enabled, match: { kinds, minIntensity?, tsunamiLevels?, warningLevels?, eewWarningOnly?, ' +
  'levels?, hazards?, jalertTypes?, codes? }, action: { templateKey, severity?, channels, targeting: { mode: all | matched | jmaCodes | areas }, ' +
  'autoSend, safetyRequest, drill?, suppressMinutes?, expiresInMinutes? } }`. Validated as a whole; a failure answers 400 ' +
  'VALIDATION_FAILED with `details.issues[].path`.';

/** One rule. The fields are checked by the rules' schema (libs/feeds), which names the failing path. */
export class FeedRuleDto {
  @ApiProperty({ type: String, example: 'earthquake-5-lower', description: RULE_DOC })
  @Allow()
  id: unknown;

  @ApiProperty({ type: String, example: '震度5弱以上' })
  @Allow()
  name: unknown;

  @ApiPropertyOptional({ type: Boolean, default: true })
  @Allow()
  enabled?: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @Allow()
  match: unknown;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @Allow()
  action: unknown;
}

export class ReplaceFeedRulesDto {
  @ApiProperty({ type: [FeedRuleDto], description: 'the whole rule set, in evaluation order' })
  @IsArray()
  rules: unknown[];
}

export class FeedRulesDryRunDto {
  @ApiProperty({
    type: String,
    description:
      'The raw document: JMA XML, CAP or a J-ALERT relay JSON message, as a string. Large XML may instead be posted ' +
      'as the request body with Content-Type application/xml.',
  })
  @Allow()
  document: unknown;

  @ApiPropertyOptional({ type: [FeedRuleDto], description: 'rules to try instead of the stored ones' })
  @Allow()
  rules?: unknown;
}

const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;

/** A stored rule as the rules' schema normalised it, and who changed it last. */
export class FeedRuleViewDto {
  @ApiProperty({ ...ANY_OBJECT, description: RULE_DOC }) rule: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: a default rule' })
  updatedBy: string | null;
  @ApiProperty() updatedAt: Date;
}

export class FeedRuleListDto {
  @ApiProperty({ type: [FeedRuleViewDto], description: 'in evaluation order' }) items: FeedRuleViewDto[];
}

export class DryRunMessageDto {
  @ApiProperty({ enum: ['jmaxml', 'cap', 'atom', 'jalert'] }) format: string;
  @ApiProperty({ example: 'VXSE53' }) kind: string;
  @ApiProperty({ ...ANY_OBJECT, nullable: true, description: 'test / drill / cancel flags' })
  status: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) reportedAt: string | null;
  @ApiProperty({ type: [String] }) eventKeys: string[];
}

/** What the rules would make of a document: nothing is stored or sent. */
export class FeedRulesDryRunResultDto {
  @ApiProperty({ type: DryRunMessageDto }) message: DryRunMessageDto;
  @ApiProperty({ ...ANY_OBJECT, description: 'whether this revision of the event would be applied, and why' })
  revision: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: ANY_OBJECT, description: 'per rule: matched or not, and why' })
  decisions: Record<string, unknown>[];
  @ApiProperty({
    type: 'array',
    items: ANY_OBJECT,
    description: 'the alerts that would be created or updated',
  })
  plans: Record<string, unknown>[];
}
