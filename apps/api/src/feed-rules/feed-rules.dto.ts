import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsArray } from 'class-validator';

const RULE_DOC =
  'A feed rule: `{ id, name, enabled, match: { kinds, minIntensity?, tsunamiLevels?, warningLevels?, eewWarningOnly?, ' +
  'levels?, hazards?, jalertTypes?, codes? }, action: { templateKey, severity?, channels, targeting: { mode: all | matched | jmaCodes | areas }, ' +
  'autoSend, safetyRequest, drill?, suppressMinutes?, expiresInMinutes? } }`. Validated as a whole; a failure answers 400 ' +
  'VALIDATION_FAILED with `details.issues[].path`.';

/** One rule. The fields are checked by the rules' schema (libs/feeds), which names the failing path. */
export class FeedRuleDto {
  @ApiProperty({ example: 'earthquake-5-lower', description: RULE_DOC })
  @Allow()
  id: unknown;

  @ApiProperty({ example: '震度5弱以上' })
  @Allow()
  name: unknown;

  @ApiPropertyOptional({ default: true })
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
