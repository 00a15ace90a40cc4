import { EscalationOutcome, EscalationStep, SafetyStatus } from './enums';
import {
  CLOSED_LADDER_RUNG,
  escalationRung,
  supporterFinding,
  supporterReportNeedsFollowUp,
} from './escalation-ladder';

describe('escalation ladder', () => {
  it('numbers the rungs in the order a person climbs them, the closed ladder at the last', () => {
    expect(escalationRung(EscalationStep.Resend)).toBe(1);
    expect(escalationRung(EscalationStep.Supporter)).toBe(2);
    expect(escalationRung(EscalationStep.StaffFollowUp)).toBe(3);
    expect(CLOSED_LADDER_RUNG).toBe(escalationRung(EscalationStep.StaffFollowUp));
  });

  it("takes a supporter's finding as the person's answer, except when nobody was home", () => {
    expect(supporterFinding(EscalationOutcome.Safe)).toBe(SafetyStatus.Safe);
    expect(supporterFinding(EscalationOutcome.NeedsHelp)).toBe(SafetyStatus.NeedHelp);
    expect(supporterFinding(EscalationOutcome.NotHome)).toBeNull();
  });

  it('sends everyone but a person found safe to the staff follow-up list', () => {
    expect(supporterReportNeedsFollowUp(EscalationOutcome.Safe)).toBe(false);
    expect(supporterReportNeedsFollowUp(EscalationOutcome.NeedsHelp)).toBe(true);
    expect(supporterReportNeedsFollowUp(EscalationOutcome.NotHome)).toBe(true);
  });
});
