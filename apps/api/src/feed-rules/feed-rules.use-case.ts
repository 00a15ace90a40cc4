import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, ValidationError } from '@bousai/domain';
import {
  DEFAULT_MAX_BYTES,
  defaultFeedRules,
  eventSourceOf,
  type FeedMessage,
  FeedParseError,
  type FeedPlan,
  type FeedRule,
  FeedRuleSchema,
  feedIdentity,
  parseFeedInput,
  parseFeedRule,
  parseFeedRuleSet,
  planFeedMessage,
  type ProducedAlert,
  type StatusFlags,
} from '@bousai/feeds';
import { FeedEventRepository, FeedRuleRepository, type StoredFeedRule } from '@bousai/persistence';

export interface FeedRuleView {
  rule: Record<string, unknown>;
  updatedBy: string | null;
  updatedAt: Date;
}

export interface DryRunResult extends Omit<FeedPlan, 'identity'> {
  message: {
    format: FeedMessage['format'];
    kind: string;
    status: StatusFlags | null;
    reportedAt: string | null;
    eventKeys: string[];
  };
}

function view(s: StoredFeedRule): FeedRuleView {
  return { rule: s.rule, updatedBy: s.updatedBy, updatedAt: s.updatedAt };
}

/** Admins read and edit a municipality's feed rules; anyone from operator up may try a document against them. */
@Injectable()
export class FeedRulesUseCase {
  constructor(
    private readonly rules: FeedRuleRepository,
    private readonly events: FeedEventRepository,
  ) {}

  /** The rules in evaluation order; the defaults are written on first read. */
  async list(municipalityId: string): Promise<FeedRuleView[]> {
    return (await this.rules.seedIfNew(municipalityId, defaultFeedRules())).map(view);
  }

  async replaceAll(municipalityId: string, input: unknown[], by: string): Promise<FeedRuleView[]> {
    const rules = parseFeedRuleSet(input);
    return (await this.rules.replaceAll(municipalityId, rules, by)).map(view);
  }

  async add(municipalityId: string, input: unknown, by: string): Promise<FeedRuleView> {
    await this.list(municipalityId); // an untouched municipality starts from the defaults
    return view(await this.rules.add(municipalityId, parseFeedRule(input), by));
  }

  async update(municipalityId: string, ruleId: string, input: unknown, by: string): Promise<FeedRuleView> {
    const rule = parseFeedRule(input);
    if (rule.id !== ruleId) {
      throw new ValidationError(`the rule's id ${rule.id} does not match the path's ${ruleId}`, {
        issues: [{ path: 'id', message: 'must equal the ruleId in the path' }],
      });
    }
    await this.list(municipalityId);
    return view(await this.rules.update(municipalityId, rule, by));
  }

  async remove(municipalityId: string, ruleId: string): Promise<void> {
    await this.list(municipalityId);
    await this.rules.remove(municipalityId, ruleId);
  }

  /**
   * What a document would do for this municipality now: the revision against what was already received, every
   * rule's decision and the alert actions. Reads only.
   */
  async dryRun(municipalityId: string, document: unknown, proposed: unknown): Promise<DryRunResult> {
    if (typeof document !== 'string' || document.trim() === '') {
      throw new ValidationError('document must be a non-empty string (XML or J-ALERT JSON)', {
        issues: [{ path: 'document', message: 'a non-empty string' }],
      });
    }
    let message: FeedMessage;
    try {
      message = parseFeedInput(document, { maxBytes: DEFAULT_MAX_BYTES });
    } catch (err) {
      if (err instanceof FeedParseError) {
        throw new DomainError(ErrorCode.ValidationFailed, `document refused: ${err.message}`, {
          issues: [{ path: 'document', message: err.message }],
          feedErrorCode: err.code,
        });
      }
      throw err;
    }
    const rules: FeedRule[] =
      proposed === undefined ? await this.storedRules(municipalityId) : parseFeedRuleSet(proposed);
    const municipality = await this.events.municipality(municipalityId);
    if (!municipality) throw new ValidationError(`municipality ${municipalityId} has no JMA codes on record`);
    const identity = feedIdentity(message);
    const previousRevision = identity
      ? await this.events.peekRevision(eventSourceOf(identity), identity.stream)
      : null;
    const produced = identity
      ? ((await this.events.producedNow(municipalityId, identity.eventKeys)) as ProducedAlert[])
      : [];
    const { identity: _identity, ...plan } = planFeedMessage({
      message,
      previousRevision,
      rules,
      municipality,
      produced,
    });
    return {
      message: {
        format: message.format,
        kind: message.kind,
        status: message.format === 'atom' ? null : message.status,
        reportedAt: identity?.reportedAt ?? null,
        eventKeys: identity?.eventKeys ?? [],
      },
      ...plan,
    };
  }

  private async storedRules(municipalityId: string): Promise<FeedRule[]> {
    const stored = await this.rules.seedIfNew(municipalityId, defaultFeedRules());
    return stored.flatMap((s) => {
      const parsed = FeedRuleSchema.safeParse(s.rule);
      return parsed.success ? [parsed.data] : [];
    });
  }
}
