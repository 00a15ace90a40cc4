import { EscalationOutcome, SafetyStatus } from './enums';
import { ErrorCode } from './errors';
import {
  answerTarget,
  assertMayAnswerForMember,
  DEFAULT_ESCALATION,
  escalationTimings,
  needsAsking,
  needsStaffFollowUp,
  parseSafetyAnswer,
  parseSupporterCheckAnswer,
  supporterCheckAnswer,
} from './safety';

describe('escalationTimings', () => {
  it('uses the defaults when a municipality has none, and fills in missing rungs', () => {
    expect(escalationTimings({})).toEqual(DEFAULT_ESCALATION);
    expect(escalationTimings({ escalation: { t1Minutes: 5 } })).toEqual({
      ...DEFAULT_ESCALATION,
      t1Minutes: 5,
    });
  });

  it.each([
    [{ t1Minutes: 0 }],
    [{ t1Minutes: 1.5 }],
    [{ t2Minutes: '20' }],
    [{ t3Minutes: 24 * 60 + 1 }],
    [{ t1Minutes: 30, t2Minutes: 20 }],
    [{ t1Minutes: 10, t2Minutes: 20, t3Minutes: 20 }],
  ])('refuses %j', (escalation) => {
    expect(() => escalationTimings({ escalation })).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
  });

  it('refuses a value that is not an object', () => {
    expect(() => escalationTimings({ escalation: [10, 20, 40] })).toThrow(/must be an object/);
  });
});

describe('parseSafetyAnswer', () => {
  it('keeps the status, a trimmed note and a WGS84 point', () => {
    expect(
      parseSafetyAnswer({ answer: 'need_help', note: '  足が悪い ', location: { lat: 35.4, lng: 133.2 } }),
    ).toEqual({
      status: SafetyStatus.NeedHelp,
      note: '足が悪い',
      location: { lat: 35.4, lng: 133.2 },
    });
  });

  it.each([
    [{ answer: 'fine' }],
    [{ answer: 'safe', note: 'x'.repeat(501) }],
    [{ answer: 'safe', location: { lat: 91, lng: 0 } }],
    [{ answer: 'safe', location: { lat: Number.NaN, lng: 0 } }],
  ])('refuses %j with VALIDATION_FAILED', (input) => {
    expect(() => parseSafetyAnswer(input)).toThrow(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
  });
});

describe('supporter check answers', () => {
  it('bind the task and the outcome together', () => {
    const answer = supporterCheckAnswer('3f1c', EscalationOutcome.NotHome);
    expect(parseSupporterCheckAnswer(answer)).toEqual({ taskId: '3f1c', outcome: EscalationOutcome.NotHome });
    expect(() => parseSupporterCheckAnswer('3f1c:gone')).toThrow();
    expect(() => parseSupporterCheckAnswer('a:safe:b')).toThrow();
    expect(() => parseSupporterCheckAnswer(undefined)).toThrow();
  });

  it('hand everything but "safe" to staff', () => {
    expect(needsStaffFollowUp(EscalationOutcome.Safe)).toBe(false);
    expect(needsStaffFollowUp(EscalationOutcome.NeedsHelp)).toBe(true);
    expect(needsStaffFollowUp(EscalationOutcome.NotHome)).toBe(true);
  });
});

describe(answerTarget.name, () => {
  const at = (min: number) => new Date(Date.UTC(2030, 0, 1, 0, min));
  it('is the newest revision of the correction chain that asked the person', () => {
    expect(
      answerTarget([
        { alertId: 'first', depth: 0, createdAt: at(0), asked: true },
        { alertId: 'fix', depth: 1, createdAt: at(5), asked: true },
        { alertId: 'fix2', depth: 2, createdAt: at(9), asked: true },
      ]),
    ).toBe('fix2');
  });

  it('skips a correction that did not ask them (a draft, or another audience)', () => {
    expect(
      answerTarget([
        { alertId: 'first', depth: 0, createdAt: at(0), asked: true },
        { alertId: 'draft', depth: 1, createdAt: at(5), asked: false },
      ]),
    ).toBe('first');
    expect(answerTarget([{ alertId: 'first', depth: 0, createdAt: at(0), asked: false }])).toBeUndefined();
  });

  it('between two corrections of the same alert, takes the later one', () => {
    expect(
      answerTarget([
        { alertId: 'first', depth: 0, createdAt: at(0), asked: true },
        { alertId: 'later', depth: 1, createdAt: at(7), asked: true },
        { alertId: 'earlier', depth: 1, createdAt: at(3), asked: true },
      ]),
    ).toBe('later');
  });
});

describe(needsAsking.name, () => {
  it('asks again only those without an answer to the corrected alert', () => {
    expect(needsAsking(null)).toBe(true);
    expect(needsAsking(undefined)).toBe(true);
    expect(needsAsking(SafetyStatus.Safe)).toBe(false);
    expect(needsAsking(SafetyStatus.NeedHelp)).toBe(false);
  });
});

describe('assertMayAnswerForMember (家族の安否)', () => {
  const me = { residentId: 'r-me', householdId: 'h-1' };
  const spouse = { residentId: 'r-spouse', householdId: 'h-1' };
  const neighbour = { residentId: 'r-neighbour', householdId: 'h-2' };

  it('lets a resident answer for another member of their household who was asked', () => {
    expect(() => assertMayAnswerForMember(me, spouse, true)).not.toThrow();
  });

  it('refuses a member the alert did not ask for their safety', () => {
    expect(() => assertMayAnswerForMember(me, spouse, false)).toThrow(
      expect.objectContaining({
        code: ErrorCode.NotFound,
        details: expect.objectContaining({ entity: 'safety_request' }),
      }),
    );
  });

  it.each([
    ['another household', neighbour],
    ['an unknown resident', undefined],
    ['themselves', me],
  ])('refuses %s, even when asked', (_what, member) => {
    expect(() => assertMayAnswerForMember(me, member, true)).toThrow(
      expect.objectContaining({
        code: ErrorCode.NotFound,
        details: expect.objectContaining({ entity: 'household_member' }),
      }),
    );
  });

  it('refuses residents without a household, even for each other', () => {
    const loner = { residentId: 'r-a', householdId: null };
    expect(() => assertMayAnswerForMember(loner, { residentId: 'r-b', householdId: null }, true)).toThrow(
      expect.objectContaining({ code: ErrorCode.NotFound }),
    );
  });
});
