import { z } from 'zod';
import { Channel, Hazard, Severity, ValidationError } from '@bousai/domain';
import { FEED_ALERT_TEMPLATES } from './feed-alert-templates';
import { JAlertType } from './jalert-message';

/** JMA 震度 as the parser writes it (docs/feeds.md §1: intensities stay JMA strings such as "5-", "5+"), weakest first. */
export const INTENSITY_SCALE = ['0', '1', '2', '3', '4', '5-', '5+', '6-', '6+', '7'] as const;
export type Intensity = (typeof INTENSITY_SCALE)[number];

export const TSUNAMI_LEVELS = ['major_warning', 'warning', 'advisory'] as const;
export type TsunamiLevel = (typeof TSUNAMI_LEVELS)[number];

/**
 * 特別警報 / 危険警報 / 警報 / 注意報. A level-named kind (2026 scheme) is placed by its number — レベル５ special,
 * レベル４ danger (危険警報, never a plain warning), レベル３ warning, レベル２ advisory; an older name by its word.
 */
export const WARNING_LEVELS = ['special_warning', 'danger_warning', 'warning', 'advisory'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** The message families a rule may name; a kind is a family or a finer `family.kind` prefix of the parser's kind. */
export const RULE_FAMILIES = ['earthquake', 'eew', 'tsunami', 'weather', 'volcano', 'jalert', 'cap'] as const;

const code = z.string().regex(/^\d{2,7}$/, 'a JMA code is 2–7 digits');
const kindPattern = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'a kind is like earthquake.hypocenter_intensity')
  .refine((k) => (RULE_FAMILIES as readonly string[]).includes(k.split('.')[0]), {
    message: `a kind starts with one of ${RULE_FAMILIES.join(', ')}`,
  });

/** Per code system (docs/feeds.md §2: a code is meaningful only together with its system); absent = the municipality's. */
const CodesSchema = z
  .object({
    city: z.array(code).optional(),
    quakeArea: z.array(code).optional(),
    tsunamiArea: z.array(code).optional(),
    eewArea: z.array(code).optional(),
  })
  .strict();

const TargetingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }).strict(),
  /** The JMA codes the message matched (e.g. only the coastal districts in 津波予報区 550). */
  z.object({ mode: z.literal('matched') }).strict(),
  z.object({ mode: z.literal('jmaCodes'), jmaCodes: z.array(code).min(1) }).strict(),
  z.object({ mode: z.literal('areas'), areaIds: z.array(z.uuid()).min(1) }).strict(),
]);

export const FeedRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, _ and -; at most 64'),
    name: z.string().min(1).max(200),
    enabled: z.boolean().default(true),
    match: z
      .object({
        kinds: z.array(kindPattern).min(1),
        minIntensity: z.enum(INTENSITY_SCALE).optional(),
        tsunamiLevels: z.array(z.enum(TSUNAMI_LEVELS)).min(1).optional(),
        warningLevels: z.array(z.enum(WARNING_LEVELS)).min(1).optional(),
        eewWarningOnly: z.boolean().optional(),
        /** 警戒レベル numbers (docs/feeds.md §8): a weather kind matches when its level is listed. */
        levels: z.array(z.number().int().min(1).max(5)).min(1).optional(),
        /** Phenomena (大雨, 土砂災害, 浸水, 洪水・氾濫, 高潮 …): a weather kind matches when its hazard is listed. */
        hazards: z.array(z.enum(Hazard)).min(1).optional(),
        jalertTypes: z.array(z.enum(JAlertType)).min(1).optional(),
        codes: CodesSchema.optional(),
      })
      .strict(),
    action: z
      .object({
        templateKey: z.string().refine((k) => FEED_ALERT_TEMPLATES.some((t) => t.key === k), {
          message: `unknown template; known: ${FEED_ALERT_TEMPLATES.map((t) => t.key).join(', ')}`,
        }),
        /** Absent: the severity the message itself carries (特別警報 extreme, 警報 severe …). */
        severity: z.enum(Severity).optional(),
        channels: z.array(z.enum(Channel)).min(1),
        targeting: TargetingSchema,
        autoSend: z.boolean(),
        safetyRequest: z.boolean(),
        /** Also make a drill alert (marked 【訓練】) from 訓練 / CAP Exercise messages. */
        drill: z.boolean().default(false),
        /** No second alert for the same event within this window unless severity rises or a new kind appears. */
        suppressMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60)
          .default(360),
        expiresInMinutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(180),
      })
      .strict(),
  })
  .strict();

export type FeedRule = z.output<typeof FeedRuleSchema>;
export type FeedRuleInput = z.input<typeof FeedRuleSchema>;
export type RuleTargeting = FeedRule['action']['targeting'];

/** A municipality's rules: each valid, ids unique. */
export const FeedRuleSetSchema = z.array(FeedRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id))
      ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}`, path: [i, 'id'] });
    seen.add(r.id);
  });
});

function toValidationError(what: string, error: z.ZodError): ValidationError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return new ValidationError(`${what} is invalid: ${issues[0].path || '(root)'}: ${issues[0].message}`, {
    issues,
  });
}

/** Parses one rule or throws a `ValidationError` whose details name every failing path. */
export function parseFeedRule(input: unknown): FeedRule {
  const result = FeedRuleSchema.safeParse(input);
  if (!result.success) throw toValidationError('feed rule', result.error);
  return result.data;
}

export function parseFeedRuleSet(input: unknown): FeedRule[] {
  const result = FeedRuleSetSchema.safeParse(input);
  if (!result.success) throw toValidationError('feed rule set', result.error);
  return result.data;
}
