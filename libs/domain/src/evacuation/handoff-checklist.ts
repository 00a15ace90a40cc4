import { DomainError, ErrorCode, ValidationError } from '../errors';

/**
 * What the office still has to do by hand after an order step: enter it in L-Alert (through the prefecture's
 * system) and send the area mail (through the carriers' portals). Each item stays open until someone marks it
 * done, with who and when. In 2018 an office sent the area mail and never entered L-Alert, so TV and radio never
 * carried the order: an L-Alert item left pending after the area mail went out is flagged on its own
 * ({@link HandoffWarning.LAlertMissingAfterAreaMail}).
 */
export enum HandoffTarget {
  LAlert = 'lalert',
  AreaMail = 'area_mail',
}

export enum HandoffItemState {
  Pending = 'pending',
  Done = 'done',
  /** Decided not to send (e.g. no area mail for a Level 3), with who, when and why. Only the area mail. */
  NotNeeded = 'not_needed',
}

export interface HandoffItem {
  target: HandoffTarget;
  state: HandoffItemState;
  by: string | null;
  at: Date | null;
  note: string | null;
}

export enum HandoffWarning {
  /** The area mail went out but the order never reached L-Alert (the 2018 double-entry failure). */
  LAlertMissingAfterAreaMail = 'lalert_missing_after_area_mail',
}

/** A fresh checklist for one order step: both items pending. */
export function newHandoffChecklist(): HandoffItem[] {
  return [HandoffTarget.LAlert, HandoffTarget.AreaMail].map((target) => ({
    target,
    state: HandoffItemState.Pending,
    by: null,
    at: null,
    note: null,
  }));
}

function settle(
  items: readonly HandoffItem[],
  target: HandoffTarget,
  state: HandoffItemState,
  by: { by: string; at: Date; note?: string | null },
): HandoffItem[] {
  const item = items.find((i) => i.target === target);
  if (!item) throw new ValidationError(`No ${target} item on this checklist`, { target });
  if (item.state !== HandoffItemState.Pending) {
    throw new DomainError(ErrorCode.IllegalTransition, `The ${target} item is already ${item.state}`, {
      target,
      from: item.state,
      by: item.by,
    });
  }
  return items.map((i) =>
    i.target === target ? { ...i, state, by: by.by, at: by.at, note: by.note?.trim() || null } : i,
  );
}

/** Marks an item done by `by` at `at` (e.g. "entered in the prefecture's system, receipt 1234" as a note). */
export function completeHandoffItem(
  items: readonly HandoffItem[],
  target: HandoffTarget,
  done: { by: string; at: Date; note?: string | null },
): HandoffItem[] {
  return settle(items, target, HandoffItemState.Done, done);
}

/** Records that the area mail is deliberately not sent, and why. L-Alert is never waived. */
export function waiveHandoffItem(
  items: readonly HandoffItem[],
  target: HandoffTarget,
  waived: { by: string; at: Date; note: string },
): HandoffItem[] {
  if (target === HandoffTarget.LAlert) {
    throw new ValidationError('Every order step must reach L-Alert; it cannot be waived');
  }
  if (!waived.note.trim()) throw new ValidationError('Say why the area mail is not sent');
  return settle(items, target, HandoffItemState.NotNeeded, waived);
}

/** The items still to do. */
export function openHandoffItems(items: readonly HandoffItem[]): HandoffItem[] {
  return items.filter((i) => i.state === HandoffItemState.Pending);
}

export function handoffWarnings(items: readonly HandoffItem[]): HandoffWarning[] {
  const state = (t: HandoffTarget) => items.find((i) => i.target === t)?.state;
  return state(HandoffTarget.AreaMail) === HandoffItemState.Done &&
    state(HandoffTarget.LAlert) === HandoffItemState.Pending
    ? [HandoffWarning.LAlertMissingAfterAreaMail]
    : [];
}
