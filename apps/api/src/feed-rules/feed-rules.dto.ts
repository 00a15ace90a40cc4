import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsArray } from 'class-validator';
import { Channel, Severity, type Targeting } from '@bousai/domain';

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

export class DryRunRevisionDto {
  @ApiProperty({ enum: ['new', 'duplicate', 'correction', 'retraction', 'ignore-older'] }) kind: string;
  @ApiProperty() reason: string;
}

/** The alert a rule would make: its texts as rendered, its audience and how it goes out. */
export class DryRunDraftDto {
  @ApiProperty() ruleId: string;
  @ApiProperty() templateKey: string;
  @ApiProperty({ enum: Severity }) severity: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/AlertTextDto' },
    description: '{ [language]: { title, body } }',
  })
  texts: Record<string, { title: string; body: string }>;
  @ApiProperty({ ...ANY_OBJECT, description: 'all, the matched areas, JMA codes or districts' })
  targeting: Targeting;
  @ApiProperty({ enum: Channel, isArray: true }) channels: string[];
  @ApiProperty({ description: 'sent without an approver' }) autoSend: boolean;
  @ApiProperty() safetyRequest: boolean;
  @ApiProperty() isDrill: boolean;
  @ApiProperty() expiresInMinutes: number;
  @ApiProperty() suppressMinutes: number;
  @ApiProperty({ type: [String], description: "the municipality's codes the message named" })
  matchedCodes: string[];
  @ApiProperty({ type: [String] }) kinds: string[];
  @ApiProperty({ nullable: true, type: Number, description: '警戒レベル' }) level: number | null;
  @ApiProperty({ nullable: true, type: String }) hazard: string | null;
}

export class DryRunDecisionDto {
  @ApiProperty() ruleId: string;
  @ApiProperty() ruleName: string;
  @ApiProperty() fired: boolean;
  @ApiProperty({ description: 'why it fired or why not' }) reason: string;
  @ApiProperty({ type: DryRunDraftDto, nullable: true }) draft: DryRunDraftDto | null;
}

export class DryRunPlanDto {
  @ApiProperty({ enum: ['create', 'correct', 'cancel', 'suppress', 'lift'] }) action: string;
  @ApiProperty() ruleId: string;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ type: DryRunDraftDto, description: 'create, correct, suppress' })
  draft?: DryRunDraftDto;
  @ApiPropertyOptional({ format: 'uuid', description: 'cancel: the alert withdrawn' }) alertId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'correct: the alert replaced' })
  supersedesAlertId?: string;
}

/** What the rules would make of a document: nothing is stored or sent. */
export class FeedRulesDryRunResultDto {
  @ApiProperty({ type: DryRunMessageDto }) message: DryRunMessageDto;
  @ApiProperty({
    type: DryRunRevisionDto,
    description: 'whether this revision of the event would be applied, and why',
  })
  revision: DryRunRevisionDto;
  @ApiProperty({ type: [DryRunDecisionDto], description: 'per rule: matched or not, and why' })
  decisions: DryRunDecisionDto[];
  @ApiProperty({
    type: [DryRunPlanDto],
    description: 'the alerts that would be created, corrected or cancelled',
  })
  plans: DryRunPlanDto[];
}
