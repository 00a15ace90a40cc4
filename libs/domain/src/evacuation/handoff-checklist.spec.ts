import { DomainError, ErrorCode } from '../errors';
import {
  completeHandoffItem,
  HandoffItemState,
  HandoffTarget,
  handoffWarnings,
  HandoffWarning,
  newHandoffChecklist,
  openHandoffItems,
  waiveHandoffItem,
} from './handoff-checklist';

const at = new Date('2026-09-01T00:40:00Z');

function errorCode(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

describe('the hand-off checklist', () => {
  it('starts with L-Alert and the area mail open, and closes each with who and when', () => {
    let items = newHandoffChecklist();
    expect(openHandoffItems(items).map((i) => i.target)).toEqual([
      HandoffTarget.LAlert,
      HandoffTarget.AreaMail,
    ]);
    items = completeHandoffItem(items, HandoffTarget.LAlert, { by: 'op-1', at, note: ' 受付番号 1234 ' });
    expect(items.find((i) => i.target === HandoffTarget.LAlert)).toEqual({
      target: HandoffTarget.LAlert,
      state: HandoffItemState.Done,
      by: 'op-1',
      at,
      note: '受付番号 1234',
    });
    expect(openHandoffItems(items).map((i) => i.target)).toEqual([HandoffTarget.AreaMail]);
    items = completeHandoffItem(items, HandoffTarget.AreaMail, { by: 'op-2', at });
    expect(openHandoffItems(items)).toEqual([]);
    expect(handoffWarnings(items)).toEqual([]);
  });

  it('shows the 2018 failure — area mail sent, L-Alert never entered — as an open item with a warning', () => {
    const items = completeHandoffItem(newHandoffChecklist(), HandoffTarget.AreaMail, { by: 'op-1', at });
    expect(openHandoffItems(items).map((i) => i.target)).toEqual([HandoffTarget.LAlert]);
    expect(handoffWarnings(items)).toEqual([HandoffWarning.LAlertMissingAfterAreaMail]);
  });

  it('lets the area mail be waived with a reason, never L-Alert', () => {
    const items = waiveHandoffItem(newHandoffChecklist(), HandoffTarget.AreaMail, {
      by: 'op-1',
      at,
      note: 'レベル３はエリアメールを送らない運用',
    });
    expect(items.find((i) => i.target === HandoffTarget.AreaMail)?.state).toBe(HandoffItemState.NotNeeded);
    expect(openHandoffItems(items).map((i) => i.target)).toEqual([HandoffTarget.LAlert]);
    expect(handoffWarnings(items)).toEqual([]);
    expect(
      errorCode(() =>
        waiveHandoffItem(newHandoffChecklist(), HandoffTarget.LAlert, { by: 'op', at, note: 'x' }),
      ),
    ).toBe(ErrorCode.ValidationFailed);
    expect(
      errorCode(() =>
        waiveHandoffItem(newHandoffChecklist(), HandoffTarget.AreaMail, { by: 'op', at, note: ' ' }),
      ),
    ).toBe(ErrorCode.ValidationFailed);
  });

  it('refuses to mark an item twice, keeping who did it first', () => {
    const items = completeHandoffItem(newHandoffChecklist(), HandoffTarget.LAlert, { by: 'op-1', at });
    expect(errorCode(() => completeHandoffItem(items, HandoffTarget.LAlert, { by: 'op-2', at }))).toBe(
      ErrorCode.IllegalTransition,
    );
  });
});
