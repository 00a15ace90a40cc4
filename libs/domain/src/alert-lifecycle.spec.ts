import { AlertAction, assertMayApprove, nextStatus, stopsSending } from './alert-lifecycle';
import { AlertStatus, Role } from './enums';
import { DomainError, ErrorCode } from './errors';

describe('alert lifecycle', () => {
  it('walks draft → pending_approval → approved → dispatching → sent → closed', () => {
    let s = AlertStatus.Draft;
    for (const action of [
      AlertAction.Submit,
      AlertAction.Approve,
      AlertAction.Send,
      AlertAction.Complete,
      AlertAction.Close,
    ]) {
      s = nextStatus(s, action);
    }
    expect(s).toBe(AlertStatus.Closed);
  });

  it.each([
    [AlertStatus.Draft, AlertAction.Approve],
    [AlertStatus.PendingApproval, AlertAction.Send],
    [AlertStatus.Closed, AlertAction.Cancel],
    [AlertStatus.Cancelled, AlertAction.Send],
    [AlertStatus.Draft, AlertAction.Supersede],
  ])('refuses %s --%s--> with IllegalTransition', (from, action) => {
    try {
      nextStatus(from, action);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(ErrorCode.IllegalTransition);
    }
  });

  it('cancels from any state before closed', () => {
    for (const s of [
      AlertStatus.Draft,
      AlertStatus.PendingApproval,
      AlertStatus.Approved,
      AlertStatus.Dispatching,
      AlertStatus.Sent,
    ]) {
      expect(nextStatus(s, AlertAction.Cancel)).toBe(AlertStatus.Cancelled);
    }
    expect(stopsSending(AlertStatus.Cancelled)).toBe(true);
    expect(stopsSending(AlertStatus.Dispatching)).toBe(false);
  });

  it('applies the two-person rule, with single-step only for admins on configured kinds', () => {
    const creator = 'a';
    expect(() =>
      assertMayApprove({
        approverId: 'b',
        approverRole: Role.Approver,
        createdBy: creator,
        singleStepAllowed: false,
      }),
    ).not.toThrow();
    expect(() =>
      assertMayApprove({
        approverId: 'a',
        approverRole: Role.Approver,
        createdBy: creator,
        singleStepAllowed: true,
      }),
    ).toThrow(/Two-person/);
    expect(() =>
      assertMayApprove({
        approverId: 'a',
        approverRole: Role.Admin,
        createdBy: creator,
        singleStepAllowed: false,
      }),
    ).toThrow(/Two-person/);
    expect(() =>
      assertMayApprove({
        approverId: 'a',
        approverRole: Role.Admin,
        createdBy: creator,
        singleStepAllowed: true,
      }),
    ).not.toThrow();
    expect(() =>
      assertMayApprove({
        approverId: 'b',
        approverRole: Role.Operator,
        createdBy: creator,
        singleStepAllowed: true,
      }),
    ).toThrow(/approvers/);
  });
});
