import { Role, roleSatisfies } from '../enums';
import { DomainError, ErrorCode, ValidationError } from '../errors';
import type { Hazard } from '../hazard';
import { EvacuationLevel, isEvacuationLevel } from './levels';

/**
 * An evacuation order's life: draft → issued → (level raised or lowered, districts added or removed) → lifted
 * (解除, the danger is over) or retracted (取消, it was issued by mistake). A draft that is never issued is
 * discarded. Lifted, retracted and discarded are final: a new danger is a new order.
 */
export enum OrderStatus {
  Draft = 'draft',
  Issued = 'issued',
  Lifted = 'lifted',
  Retracted = 'retracted',
  Discarded = 'discarded',
}

/** Who drafted an order: an operator, or the feeds from a document (the order's `createdBy` is then null). */
export enum OrderSource {
  Operator = 'operator',
  Feed = 'feed',
}

export enum OrderAction {
  Issue = 'issue',
  ChangeLevel = 'change_level',
  AddDistricts = 'add_districts',
  RemoveDistricts = 'remove_districts',
  Lift = 'lift',
  Retract = 'retract',
  Discard = 'discard',
}

/**
 * What residents must hear after a step of an issued order. Each kind becomes one alert through the alert
 * lifecycle, addressed to `OrderMessage.districts`:
 * - `issue` (発令), `raise` / `lower` (レベルの引上げ / 引下げ): the order's districts, at the new level;
 * - `extend` (対象地区の追加): only the added districts, worded as an issue for them;
 * - `shrink` (対象地区の一部解除): only the removed districts, worded as a lift for them;
 * - `lift` (解除): every district of the order;
 * - `retract` (取消): every district of the order, saying it was a mistake (never worded as a lift).
 */
export enum OrderMessageKind {
  Issue = 'issue',
  Raise = 'raise',
  Lower = 'lower',
  Extend = 'extend',
  Shrink = 'shrink',
  Lift = 'lift',
  Retract = 'retract',
}

/** A district (地区, 学区, 町丁目) as the roster knows it: its code is the municipality's own area code. */
export interface OrderDistrict {
  code: string;
  name: string;
  /** Reading in katakana, when the roster has it (used in やさしい日本語). */
  nameKana?: string | null;
}

export interface EvacuationOrder {
  id: string;
  municipalityId: string;
  hazard: Hazard;
  level: EvacuationLevel;
  /** The whole municipality (全域); `districts` is then empty. */
  wholeMunicipality: boolean;
  districts: readonly OrderDistrict[];
  status: OrderStatus;
  createdBy: string | null;
  issuedAt: Date | null;
  liftedAt: Date | null;
  retractedAt: Date | null;
  /** Bumped by every step; the store uses it to refuse a step computed from a stale order. */
  version: number;
}

export type OrderCommand =
  | { action: OrderAction.Issue }
  | { action: OrderAction.ChangeLevel; level: EvacuationLevel }
  | { action: OrderAction.AddDistricts; districts: readonly OrderDistrict[] }
  | { action: OrderAction.RemoveDistricts; codes: readonly string[] }
  | { action: OrderAction.Lift }
  | { action: OrderAction.Retract; reason: string }
  | { action: OrderAction.Discard };

/** What one step asks residents to hear: kind, the level it speaks of and whom it addresses. */
export interface OrderMessage {
  kind: OrderMessageKind;
  hazard: Hazard;
  /** The level in force after the step; for `shrink`, `lift` and `retract` the level that ends. */
  level: EvacuationLevel;
  /** For `raise` and `lower`: the level before. */
  previousLevel: EvacuationLevel | null;
  /** The whole municipality is addressed (only when the order itself is municipality-wide). */
  wholeMunicipality: boolean;
  /** The districts addressed; empty when `wholeMunicipality`. */
  districts: readonly OrderDistrict[];
}

/** One row of an order's history: kept for every step, drafts included; never updated. */
export interface OrderHistoryEntry {
  orderId: string;
  /** The order's version after the step. */
  version: number;
  action: OrderAction;
  at: Date;
  actorId: string;
  fromStatus: OrderStatus;
  toStatus: OrderStatus;
  level: EvacuationLevel;
  previousLevel: EvacuationLevel | null;
  wholeMunicipality: boolean;
  /** Every district of the order after the step. */
  districtCodes: string[];
  /** The districts the step added or removed. */
  changedDistrictCodes: string[];
  messageKind: OrderMessageKind | null;
  reason: string | null;
}

export interface OrderStep {
  order: EvacuationOrder;
  /** Null when residents hear nothing (a draft edited or discarded). */
  message: OrderMessage | null;
  history: OrderHistoryEntry;
}

export interface OrderActor {
  id: string;
  role: Role;
}

function illegal(order: EvacuationOrder, action: OrderAction, why: string): DomainError {
  return new DomainError(
    ErrorCode.IllegalTransition,
    `Cannot ${action} an evacuation order that is ${order.status}: ${why}`,
    { action, from: order.status },
  );
}

/** Operators and above command orders; viewers only look. */
export function assertMayCommandOrder(actor: OrderActor): void {
  if (!roleSatisfies(actor.role, Role.Operator)) {
    throw new DomainError(
      ErrorCode.Forbidden,
      'Only operators, approvers and admins command evacuation orders',
    );
  }
}

function checkDistricts(districts: readonly OrderDistrict[]): void {
  const seen = new Set<string>();
  for (const d of districts) {
    if (!d.code.trim() || !d.name.trim()) throw new ValidationError('Every district needs a code and a name');
    if (seen.has(d.code)) throw new ValidationError(`District ${d.code} is named twice`, { code: d.code });
    seen.add(d.code);
  }
}

/** A new draft. It names either districts or the whole municipality, never both. */
export function draftOrder(input: {
  id: string;
  municipalityId: string;
  hazard: Hazard;
  level: EvacuationLevel;
  wholeMunicipality: boolean;
  districts: readonly OrderDistrict[];
  createdBy: string | null;
}): EvacuationOrder {
  if (!isEvacuationLevel(input.level)) {
    throw new ValidationError('An evacuation order is level 3, 4 or 5', { level: input.level });
  }
  if (input.wholeMunicipality && input.districts.length > 0) {
    throw new ValidationError('An order for the whole municipality names no districts');
  }
  checkDistricts(input.districts);
  return {
    ...input,
    districts: [...input.districts],
    status: OrderStatus.Draft,
    issuedAt: null,
    liftedAt: null,
    retractedAt: null,
    version: 1,
  };
}

interface Change {
  order: EvacuationOrder;
  message: OrderMessage | null;
  previousLevel?: EvacuationLevel | null;
  changedDistrictCodes?: string[];
}

function message(
  order: EvacuationOrder,
  kind: OrderMessageKind,
  extra: {
    previousLevel?: EvacuationLevel;
    districts?: readonly OrderDistrict[];
    level?: EvacuationLevel;
  } = {},
): OrderMessage {
  const districts = extra.districts ?? order.districts;
  return {
    kind,
    hazard: order.hazard,
    level: extra.level ?? order.level,
    previousLevel: extra.previousLevel ?? null,
    wholeMunicipality: order.wholeMunicipality && extra.districts === undefined,
    districts: order.wholeMunicipality && extra.districts === undefined ? [] : [...districts],
  };
}

function changeLevel(order: EvacuationOrder, level: EvacuationLevel): Change {
  if (!isEvacuationLevel(level))
    throw new ValidationError('An evacuation order is level 3, 4 or 5', { level });
  if (level === order.level) throw illegal(order, OrderAction.ChangeLevel, `it is already level ${level}`);
  const next = { ...order, level };
  if (order.status === OrderStatus.Draft) return { order: next, message: null, previousLevel: order.level };
  const kind = level > order.level ? OrderMessageKind.Raise : OrderMessageKind.Lower;
  return {
    order: next,
    message: message(next, kind, { previousLevel: order.level }),
    previousLevel: order.level,
  };
}

function addDistricts(order: EvacuationOrder, added: readonly OrderDistrict[]): Change {
  if (order.wholeMunicipality) {
    throw illegal(order, OrderAction.AddDistricts, 'it already covers the whole municipality');
  }
  if (added.length === 0) throw new ValidationError('Name at least one district to add');
  checkDistricts(added);
  const present = new Set(order.districts.map((d) => d.code));
  const dup = added.filter((d) => present.has(d.code)).map((d) => d.code);
  if (dup.length > 0) throw new ValidationError('These districts are already in the order', { codes: dup });
  const next = { ...order, districts: [...order.districts, ...added] };
  const changedDistrictCodes = added.map((d) => d.code);
  if (order.status === OrderStatus.Draft) return { order: next, message: null, changedDistrictCodes };
  return {
    order: next,
    message: message(next, OrderMessageKind.Extend, { districts: added }),
    changedDistrictCodes,
  };
}

function removeDistricts(order: EvacuationOrder, codes: readonly string[]): Change {
  if (order.wholeMunicipality) {
    throw illegal(
      order,
      OrderAction.RemoveDistricts,
      'it covers the whole municipality: lift it and issue one for the districts still in danger',
    );
  }
  if (codes.length === 0) throw new ValidationError('Name at least one district to remove');
  const wanted = new Set(codes);
  const unknown = [...wanted].filter((c) => !order.districts.some((d) => d.code === c));
  if (unknown.length > 0)
    throw new ValidationError('These districts are not in the order', { codes: unknown });
  const removed = order.districts.filter((d) => wanted.has(d.code));
  const kept = order.districts.filter((d) => !wanted.has(d.code));
  if (kept.length === 0 && order.status !== OrderStatus.Draft) {
    throw illegal(order, OrderAction.RemoveDistricts, 'no district would be left: lift the order instead');
  }
  const next = { ...order, districts: kept };
  const changedDistrictCodes = removed.map((d) => d.code);
  if (order.status === OrderStatus.Draft) return { order: next, message: null, changedDistrictCodes };
  return {
    order: next,
    message: message(next, OrderMessageKind.Shrink, { districts: removed }),
    changedDistrictCodes,
  };
}

function change(order: EvacuationOrder, command: OrderCommand, at: Date): Change {
  const { action } = command;
  const open = order.status === OrderStatus.Draft || order.status === OrderStatus.Issued;
  if (!open) throw illegal(order, action, 'the order is closed; a new danger is a new order');
  switch (command.action) {
    case OrderAction.Issue: {
      if (order.status !== OrderStatus.Draft) throw illegal(order, action, 'only a draft is issued');
      if (!order.wholeMunicipality && order.districts.length === 0) {
        throw new ValidationError('Name the districts of the order, or the whole municipality');
      }
      const next = { ...order, status: OrderStatus.Issued, issuedAt: at };
      return { order: next, message: message(next, OrderMessageKind.Issue) };
    }
    case OrderAction.ChangeLevel:
      return changeLevel(order, command.level);
    case OrderAction.AddDistricts:
      return addDistricts(order, command.districts);
    case OrderAction.RemoveDistricts:
      return removeDistricts(order, command.codes);
    case OrderAction.Lift: {
      if (order.status !== OrderStatus.Issued) throw illegal(order, action, 'only an issued order is lifted');
      const next = { ...order, status: OrderStatus.Lifted, liftedAt: at };
      return { order: next, message: message(next, OrderMessageKind.Lift) };
    }
    case OrderAction.Retract: {
      if (order.status !== OrderStatus.Issued) {
        throw illegal(order, action, 'only an issued order is retracted (discard a draft)');
      }
      if (!command.reason.trim()) throw new ValidationError('Say why the order is retracted');
      const next = { ...order, status: OrderStatus.Retracted, retractedAt: at };
      return { order: next, message: message(next, OrderMessageKind.Retract) };
    }
    case OrderAction.Discard: {
      if (order.status !== OrderStatus.Draft) throw illegal(order, action, 'only a draft is discarded');
      return { order: { ...order, status: OrderStatus.Discarded }, message: null };
    }
  }
}

/**
 * The one legal-transition function: the order after `command`, what residents must hear (or null) and the
 * history entry to keep. Illegal steps throw `IllegalTransition` (409), bad input `ValidationFailed` (400).
 */
export function applyOrderCommand(
  order: EvacuationOrder,
  command: OrderCommand,
  context: { actor: OrderActor; at: Date },
): OrderStep {
  assertMayCommandOrder(context.actor);
  const result = change(order, command, context.at);
  const next: EvacuationOrder = { ...result.order, version: order.version + 1 };
  const history: OrderHistoryEntry = {
    orderId: order.id,
    version: next.version,
    action: command.action,
    at: context.at,
    actorId: context.actor.id,
    fromStatus: order.status,
    toStatus: next.status,
    level: next.level,
    previousLevel: result.previousLevel ?? null,
    wholeMunicipality: next.wholeMunicipality,
    districtCodes: next.districts.map((d) => d.code),
    changedDistrictCodes: result.changedDistrictCodes ?? [],
    messageKind: result.message?.kind ?? null,
    reason: command.action === OrderAction.Retract ? command.reason.trim() : null,
  };
  return { order: next, message: result.message, history };
}

/** Kinds that warn of a danger (as opposed to ending or withdrawing one). */
const WARNING_KINDS: ReadonlySet<OrderMessageKind> = new Set([
  OrderMessageKind.Issue,
  OrderMessageKind.Raise,
  OrderMessageKind.Extend,
]);

/**
 * Whether an admin may send this message without a second person: only a Level 5 (緊急安全確保) going out or
 * widening, and the retraction of a Level 5 sent by mistake — minutes matter for both. Everything else follows
 * the two-person rule of the alert lifecycle (`assertMayApprove`).
 */
export function singleStepAllowed(message: Pick<OrderMessage, 'kind' | 'level'>): boolean {
  if (message.level !== EvacuationLevel.EmergencySafety) return false;
  return WARNING_KINDS.has(message.kind) || message.kind === OrderMessageKind.Retract;
}

/** Whether the alert for `message` must wait for a second person's approval when `actor` sends it. */
export function needsApproval(message: Pick<OrderMessage, 'kind' | 'level'>, actor: OrderActor): boolean {
  return !(actor.role === Role.Admin && singleStepAllowed(message));
}

export interface InForceOrder {
  orderId: string;
  hazard: Hazard;
  level: EvacuationLevel;
  issuedAt: Date | null;
}

export interface DistrictInForce {
  districtCode: string;
  /** The highest level in force in the district. */
  level: EvacuationLevel;
  /** Every issued order covering it, highest level first, then the latest issued. */
  orders: InForceOrder[];
}

/**
 * What is in force per district: every issued order, a municipality-wide one counting for each of
 * `municipalityDistrictCodes`. Districts without an order are absent.
 */
export function inForceByDistrict(
  orders: readonly EvacuationOrder[],
  municipalityDistrictCodes: readonly string[],
): Map<string, DistrictInForce> {
  const out = new Map<string, DistrictInForce>();
  for (const order of orders) {
    if (order.status !== OrderStatus.Issued) continue;
    const codes = order.wholeMunicipality ? municipalityDistrictCodes : order.districts.map((d) => d.code);
    const entry: InForceOrder = {
      orderId: order.id,
      hazard: order.hazard,
      level: order.level,
      issuedAt: order.issuedAt,
    };
    for (const code of new Set(codes)) {
      const district = out.get(code) ?? { districtCode: code, level: order.level, orders: [] };
      district.orders.push(entry);
      district.level = Math.max(district.level, order.level);
      out.set(code, district);
    }
  }
  for (const district of out.values()) {
    district.orders.sort(
      (a, b) => b.level - a.level || (b.issuedAt?.getTime() ?? 0) - (a.issuedAt?.getTime() ?? 0),
    );
  }
  return out;
}
