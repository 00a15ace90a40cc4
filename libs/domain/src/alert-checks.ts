import type { AlertTexts } from './alert-content';
import type { Targeting } from './targeting';
import { Channel, type Language } from './enums';
import { DomainError, ErrorCode } from './errors';

/**
 * What a channel's text may hold. `hard`: the channel cannot carry more and nothing leads the reader to the rest,
 * so an alert over it is refused. `soft`: the channel shortens the text with "…" and the reader can open the
 * whole alert (the app and the PWA show the public alert page), so the cut is only shown in the preview.
 */
export interface ChannelTextLimit {
  kind: 'hard' | 'soft';
  /** `body`: the body alone; `message`: title and body as one message; `payload`: the whole push payload. */
  applies: 'body' | 'message' | 'payload';
  unit: 'utf16' | 'utf8-bytes';
  max: number;
}

/** Longest body, in UTF-8 bytes, an FCM message carries: the app shows the full text from the public alert page. */
export const FCM_BODY_MAX_BYTES = 1_000;
/** A LINE Messaging API text message: at most 5,000 characters (UTF-16 code units). */
export const LINE_TEXT_MAX = 5_000;

/**
 * The text limits of channels, as the senders in libs/channels apply them (receivers and email carry any length;
 * Web Push's limit is its whole encrypted payload, RFC 8291, which libs/channels owns and shortens the body to).
 * LINE's is hard: LINE refuses a longer message, and the multicast text is all a LINE user gets — no link to the
 * rest.
 */
export const CHANNEL_TEXT_LIMITS: Readonly<Partial<Record<Channel, ChannelTextLimit>>> = {
  [Channel.Fcm]: { kind: 'soft', applies: 'body', unit: 'utf8-bytes', max: FCM_BODY_MAX_BYTES },
  [Channel.Line]: { kind: 'hard', applies: 'message', unit: 'utf16', max: LINE_TEXT_MAX },
};

/** One LINE text message for an alert: title, a blank line, body. */
export function lineMessageText(title: string, body: string): string {
  return `${title}\n\n${body}`;
}

export enum AlertProblemCode {
  UnknownAreas = 'unknown_areas',
  UnknownHouseholds = 'unknown_households',
  UnknownJmaCodes = 'unknown_jma_codes',
  InvalidText = 'invalid_text',
  EmptyText = 'empty_text',
  TextTooLong = 'text_too_long',
  TextShortened = 'text_shortened',
  ChannelUnserved = 'channel_unserved',
  NobodyReached = 'nobody_reached',
}

/**
 * Something wrong with an alert. `error`s refuse it (create, submit, approve and send answer 422 with all of them);
 * `warning`s are shown by the preview and let it go out.
 */
export interface AlertProblem {
  code: AlertProblemCode;
  severity: 'error' | 'warning';
  message: string;
  /** The ids or codes that are unknown. */
  ids?: string[];
  channel?: Channel;
  language?: string;
  limit?: ChannelTextLimit;
  /** The text's length in the limit's unit. */
  length?: number;
}

/** The targeting ids and codes the municipality does not have (looked up by the caller). */
export interface UnknownTargets {
  areaIds: readonly string[];
  householdIds: readonly string[];
  jmaCodes: readonly string[];
}

export function targetingProblems(unknown: UnknownTargets): AlertProblem[] {
  const out: AlertProblem[] = [];
  const add = (code: AlertProblemCode, ids: readonly string[], what: string) => {
    if (ids.length === 0) return;
    out.push({
      code,
      severity: 'error',
      ids: [...ids],
      message: `${what} not in this municipality: ${ids.join(', ')}`,
    });
  };
  add(AlertProblemCode.UnknownAreas, unknown.areaIds, 'Districts (areaIds)');
  add(AlertProblemCode.UnknownHouseholds, unknown.householdIds, 'Households (householdIds)');
  // the planner matches JMA codes against the codes of the municipality's districts: any other code reaches nobody
  add(AlertProblemCode.UnknownJmaCodes, unknown.jmaCodes, 'JMA codes that match no district');
  return out;
}

function measure(text: string, unit: ChannelTextLimit['unit']): number {
  return unit === 'utf16' ? text.length : Buffer.byteLength(text, 'utf8');
}

/** The shape of one language's text: `{ title, body }`, both text (the api's DTO and the checks below use it). */
export function isTextPair(value: unknown): value is { title: string; body: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { title, body } = value as { title?: unknown; body?: unknown };
  return typeof title === 'string' && typeof body === 'string';
}

/**
 * The problems of an alert's texts on its channels: a language whose title and body are both blank says nothing
 * (an empty alert sounds on every receiver all the same); a text over a channel's hard limit is refused. Soft
 * limits depend on the rendered payload, which the preview reports per channel.
 */
export function textProblems(texts: AlertTexts, channels: readonly Channel[]): AlertProblem[] {
  const out: AlertProblem[] = [];
  for (const [language, text] of Object.entries(texts) as [Language, unknown][]) {
    if (!isTextPair(text)) {
      out.push({
        code: AlertProblemCode.InvalidText,
        severity: 'error',
        language,
        message: `texts.${language} must be { title: text, body: text }`,
      });
      continue;
    }
    const { title, body } = text;
    if (title.trim() === '' && body.trim() === '') {
      out.push({
        code: AlertProblemCode.EmptyText,
        severity: 'error',
        language,
        message: `texts.${language}: title and body are both empty`,
      });
      continue;
    }
    for (const channel of channels) {
      const limit = CHANNEL_TEXT_LIMITS[channel];
      if (limit?.kind !== 'hard') continue;
      const length = measure(limitedText(limit, title, body), limit.unit);
      if (length <= limit.max) continue;
      out.push({
        code: AlertProblemCode.TextTooLong,
        severity: 'error',
        channel,
        language,
        limit,
        length,
        message: `texts.${language} is ${length} ${unitName(limit.unit)} on ${channel}; ${channel} carries at most ${limit.max}`,
      });
    }
  }
  return out;
}

/** Refuses (422) texts that are not `{ title, body }` of text, before anything reads them (placeholders first). */
export function assertTextShapes(texts: AlertTexts): void {
  assertNoErrors(textProblems(texts, []).filter((p) => p.code === AlertProblemCode.InvalidText));
}

function limitedText(limit: ChannelTextLimit, title: string, body: string): string {
  return limit.applies === 'message' ? lineMessageText(title, body) : body;
}

function unitName(unit: ChannelTextLimit['unit']): string {
  return unit === 'utf16' ? 'characters' : 'bytes';
}

/** Why an alert cannot be created or sent: every error of the checks, listed in `details.problems`. */
export class AlertRejectedError extends DomainError {
  constructor(readonly problems: AlertProblem[]) {
    super(ErrorCode.AlertRejected, `The alert cannot go out: ${problems.map((p) => p.message).join('; ')}`, {
      problems,
    });
  }
}

/** Throws {@link AlertRejectedError} when any problem is an error. */
export function assertNoErrors(problems: readonly AlertProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new AlertRejectedError(errors);
}

/** The lists of a targeting that name things which must exist (ids and codes), deduplicated. */
export function namedTargets(t: Targeting): UnknownTargets {
  const list = (v: unknown) =>
    Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string'))] : [];
  return { areaIds: list(t.areaIds), householdIds: list(t.householdIds), jmaCodes: list(t.jmaCodes) };
}
