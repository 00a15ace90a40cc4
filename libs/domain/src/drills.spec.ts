import { drillTarget, escalationSummary } from './drills';
import { EscalationOutcome, EscalationState, EscalationStep } from './enums';

describe(drillTarget.name, () => {
  it('asks every 要援護者 and every staff member to be confirmed', () => {
    expect(drillTarget('needs_assistance', {})).toBe(1);
    expect(drillTarget('staff', { drillTargets: { staff: 0.5 } })).toBe(1);
  });

  it('takes the municipality target for the rest, or none', () => {
    expect(drillTarget('everyone', {})).toBeNull();
    expect(drillTarget('all', { drillTargets: { all: 0.8 } })).toBe(0.8);
    expect(drillTarget('everyone', { drillTargets: { everyone: 7 } })).toBeNull();
  });
});

describe(escalationSummary.name, () => {
  const task = (step: EscalationStep, state: EscalationState, outcome: EscalationOutcome | null = null) => ({
    step,
    state,
    outcome,
  });

  it('says what a supporter found before anything else', () => {
    expect(
      escalationSummary([
        task(EscalationStep.Resend, EscalationState.Done),
        task(EscalationStep.Supporter, EscalationState.Cancelled),
        task(EscalationStep.Supporter, EscalationState.Done, EscalationOutcome.NotHome),
        task(EscalationStep.StaffFollowUp, EscalationState.Open),
      ]),
    ).toBe('supporter_reported_not_home');
    expect(
      escalationSummary([task(EscalationStep.Supporter, EscalationState.Done, EscalationOutcome.Safe)]),
    ).toBe('supporter_confirmed_safe');
  });

  it('then the follow-up, open supporter tasks, a resend, or nothing', () => {
    expect(escalationSummary([task(EscalationStep.StaffFollowUp, EscalationState.Open)])).toBe(
      'staff_follow_up_open',
    );
    expect(escalationSummary([task(EscalationStep.Supporter, EscalationState.Open)])).toBe(
      'supporters_asked',
    );
    expect(escalationSummary([task(EscalationStep.Resend, EscalationState.Done)])).toBe('resent');
    expect(escalationSummary([])).toBe('none');
  });
});
