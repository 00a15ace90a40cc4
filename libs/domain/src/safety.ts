import { EscalationOutcome, ResponseChannel, SafetyStatus } from './enums';
import { DomainError, ErrorCode, ValidationError } from './errors';

/**
 * 安否確認 and the escalation ladder for 要援護者 (issue 6 items 2–3). The rules live here once; the api records
 * answers, the fanout walks the ladder.
 */

/** Who a safety request asks: everyone in the places named, or only 要援護者 / staff among them. */
export type SafetyGroup = 'everyone' | 'needs_assistance' | 'staff';
export const SAFETY_GROUPS: readonly SafetyGroup[] = ['everyone', 'needs_assistance', 'staff'];

/** Channels an operator may record an answer for: what they heard on the phone or saw on a visit. */
export const OPERATOR_RESPONSE_CHANNELS = [ResponseChannel.Phone, ResponseChannel.Visit] as const;
export type OperatorResponseChannel = (typeof OPERATOR_RESPONSE_CHANNELS)[number];

const STATUSES = new Set<string>(Object.values(SafetyStatus));
const OUTCOMES = new Set<string>(Object.values(EscalationOutcome));
const NOTE_MAX = 500;

export function parseSafetyStatus(value: unknown): SafetyStatus {
  if (typeof value !== 'string' || !STATUSES.has(value)) {
    throw new ValidationError('answer must be one of safe, need_help, injured, other', {
      field: 'answer',
      allowed: [...STATUSES],
    });
  }
  return value as SafetyStatus;
}

export function parseEscalationOutcome(value: unknown): EscalationOutcome {
  if (typeof value !== 'string' || !OUTCOMES.has(value)) {
    throw new ValidationError('outcome must be one of safe, needs_help, not_home', {
      field: 'outcome',
      allowed: [...OUTCOMES],
    });
  }
  return value as EscalationOutcome;
}

export interface SafetyAnswer {
  status: SafetyStatus;
  note: string | null;
  location: { lat: number; lng: number } | null;
}

/** An answer as a resident or operator gave it: the status, an optional short note and an optional WGS84 point. */
export function parseSafetyAnswer(input: {
  answer: unknown;
  note?: unknown;
  location?: { lat?: unknown; lng?: unknown } | null;
}): SafetyAnswer {
  const status = parseSafetyStatus(input.answer);
  let note: string | null = null;
  if (input.note !== undefined && input.note !== null) {
    if (typeof input.note !== 'string' || input.note.length > NOTE_MAX) {
      throw new ValidationError(`note must be text of at most ${NOTE_MAX} characters`, { field: 'note' });
    }
    note = input.note.trim() || null;
  }
  let location: SafetyAnswer['location'] = null;
  if (input.location !== undefined && input.location !== null) {
    const { lat, lng } = input.location;
    if (
      typeof lat !== 'number' ||
      typeof lng !== 'number' ||
      !Number.isFinite(lat) ||
      !Number.isFinite(lng) ||
      Math.abs(lat) > 90 ||
      Math.abs(lng) > 180
    ) {
      throw new ValidationError('location must be { lat: -90…90, lng: -180…180 }', { field: 'location' });
    }
    location = { lat, lng };
  }
  return { status, note, location };
}

/**
 * One alert of a correction chain (訂正): each correction supersedes the alert it corrects. `asked` says whether
 * the alert asked the person (or the household) in question; `depth` counts corrections from where the chain was
 * entered (0: the alert an answer was given on).
 */
export interface SafetyRevision {
  alertId: string;
  depth: number;
  createdAt: Date;
  asked: boolean;
}

/**
 * Which safety request an answer belongs to when it is given on any alert of a correction chain — the link in an
 * earlier mail, the app still showing the first alert, a receiver's button pressed for it: the newest revision
 * that asked the person, so the answer counts for the alert operators are watching now. Undefined when no
 * revision asked them.
 */
export function answerTarget(revisions: readonly SafetyRevision[]): string | undefined {
  let best: SafetyRevision | undefined;
  for (const r of revisions) {
    if (!r.asked) continue;
    if (
      !best ||
      r.depth > best.depth ||
      (r.depth === best.depth && r.createdAt.getTime() > best.createdAt.getTime())
    ) {
      best = r;
    }
  }
  return best?.alertId;
}

/**
 * Who is (still) asked to confirm their safety: only those without an answer. A correction carries the answer a
 * person gave on the alert it corrects (with its history) and does not ask them again — no second request, no
 * answer links in its mail, no escalation ladder; everyone else is asked. `SafetyRepository.ask` applies this to
 * a whole audience in one statement; the channels to each recipient.
 */
export function needsAsking(currentAnswer: SafetyStatus | string | null | undefined): boolean {
  return currentAnswer === null || currentAnswer === undefined;
}

/** A resident of the roster as far as 家族の安否 needs: who they are and which household they belong to. */
export interface HouseholdMember {
  residentId: string;
  householdId: string | null;
}

/**
 * 家族の安否: whether `answerer` may answer `member`'s safety request for an alert from their own app. Only for
 * another member of the same household (never across households, never for someone without one) and only when
 * the alert asked that member for their safety (`memberAsked`: a safety request of the alert — or of the
 * correction the answer counts for — names them). Throws the refusal; the answer is then recorded as the
 * member's, with the answerer kept as who gave it.
 */
export function assertMayAnswerForMember(
  answerer: HouseholdMember,
  member: HouseholdMember | undefined,
  memberAsked: boolean,
): void {
  const sameHousehold =
    member !== undefined && answerer.householdId !== null && member.householdId === answerer.householdId;
  if (!sameHousehold || member.residentId === answerer.residentId) {
    // another household's resident is not revealed to exist
    throw new DomainError(ErrorCode.NotFound, 'This person is not another member of your household', {
      entity: 'household_member',
      residentId: member?.residentId ?? null,
    });
  }
  if (!memberAsked) {
    throw new DomainError(
      ErrorCode.NotFound,
      'This household member was not asked to confirm their safety for this alert',
      { entity: 'safety_request', residentId: member.residentId },
    );
  }
}

/** Minutes after a safety request was made at which each rung of the ladder starts for a silent 要援護者. */
export interface EscalationTimings {
  /** Resend the alert on the person's other channels. */
  t1Minutes: number;
  /** Give their supporters, in priority order, a task with one-tap answers. */
  t2Minutes: number;
  /** Put them on the staff follow-up list. */
  t3Minutes: number;
}

export const DEFAULT_ESCALATION: Readonly<EscalationTimings> = {
  t1Minutes: 10,
  t2Minutes: 20,
  t3Minutes: 40,
};
const MAX_MINUTES = 24 * 60;

/**
 * Validates `settings.escalation` of a municipality (absent: the defaults). Each rung comes strictly after the
 * previous one, and the whole ladder fits in a day (requests older than that are no longer escalated).
 */
export function escalationTimings(settings: Record<string, unknown> | null | undefined): EscalationTimings {
  const raw = settings?.escalation;
  if (raw === undefined || raw === null) return { ...DEFAULT_ESCALATION };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError('settings.escalation must be an object { t1Minutes, t2Minutes, t3Minutes }');
  }
  const value = raw as Record<string, unknown>;
  const out = { ...DEFAULT_ESCALATION };
  for (const key of ['t1Minutes', 't2Minutes', 't3Minutes'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_MINUTES) {
      throw new ValidationError(
        `settings.escalation.${key} must be a whole number of minutes, 1…${MAX_MINUTES}`,
        {
          field: `escalation.${key}`,
        },
      );
    }
    out[key] = v;
  }
  if (!(out.t1Minutes < out.t2Minutes && out.t2Minutes < out.t3Minutes)) {
    throw new ValidationError('settings.escalation must satisfy t1Minutes < t2Minutes < t3Minutes', {
      field: 'escalation',
    });
  }
  return out;
}

/**
 * How each safety answer is put to a resident, wherever they choose it (one-tap pages, alert mails), so the link
 * they tap and the page that confirms it say the same thing.
 */
export const SAFETY_ANSWER_LABELS: Readonly<Record<'ja' | 'en', Readonly<Record<SafetyStatus, string>>>> = {
  ja: {
    [SafetyStatus.Safe]: '無事です',
    [SafetyStatus.NeedHelp]: '助けが必要です',
    [SafetyStatus.Injured]: 'けがをしています',
    [SafetyStatus.Other]: 'その他',
  },
  en: {
    [SafetyStatus.Safe]: 'I am safe',
    [SafetyStatus.NeedHelp]: 'I need help',
    [SafetyStatus.Injured]: 'I am injured',
    [SafetyStatus.Other]: 'Other',
  },
};

/** How long a one-tap safety link stays valid: a basic phone's mail may be read hours after an evacuation. */
export const SAFETY_LINK_TTL_MS = 72 * 3_600_000;
/** How long a supporter's check link stays valid. */
export const SUPPORTER_LINK_TTL_MS = 24 * 3_600_000;

/**
 * The `answer` claim of a supporter's one-tap link: the task and the outcome it records, so a link for "safe"
 * can never record "not home" and a link for one task never closes another.
 */
export function supporterCheckAnswer(taskId: string, outcome: EscalationOutcome): string {
  return `${taskId}:${outcome}`;
}

export function parseSupporterCheckAnswer(answer: string | undefined): {
  taskId: string;
  outcome: EscalationOutcome;
} {
  const [taskId, outcome, ...rest] = (answer ?? '').split(':');
  if (!taskId || rest.length > 0) throw new ValidationError('malformed supporter check');
  return { taskId, outcome: parseEscalationOutcome(outcome) };
}

/** A supporter who found the person needing help, or not at home, hands them straight to staff. */
export function needsStaffFollowUp(outcome: EscalationOutcome): boolean {
  return outcome !== EscalationOutcome.Safe;
}
