import { EscalationOutcome, SafetyStatus } from './enums';
import { ErrorCode } from './errors';
import {
  DEFAULT_ESCALATION,
  escalationTimings,
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
