import { Injectable } from '@nestjs/common';
import { AlertLifecycle } from '@bousai/alerts';
import {
  type Actor,
  AlertAction,
  AlertSource,
  AlertStatus,
  isIn,
  OrderStatus,
  applyOrderCommand,
  areaMailDrafts,
  ConflictError,
  draftOrder,
  type EvacuationLevel,
  findTemplate,
  type Hazard,
  isEvacuationLevel,
  lalertRecord,
  needsApproval,
  newHandoffChecklist,
  NotFoundError,
  OrderAction,
  type OrderCommand,
  type OrderMessage,
  OrderMessageKind,
  type OrderStep,
  OrderSource,
  Role,
  roleSatisfies,
  shelterNamesForOrder,
  ShelterStatus,
  type OrderWordingInput,
  type Targeting,
  ValidationError,
  orderMessageTexts,
  orderSeverity,
} from '@bousai/domain';
import {
  type AlertEntity,
  EvacuationHandoffRepository,
  EvacuationOrderRepository,
  EvacuationProposalRepository,
  ProposalKind,
  RosterRepository,
  ShelterRepository,
  type ShelterView,
  type StoredOrder,
  type StoredOrderDistrict,
  type StoredProposal,
  type Transaction,
  TransactionRunner,
} from '@bousai/persistence';
import type { OperatorPrincipal } from '../auth/principal';
import { AlertChecks } from '../alerts/alert-checks.service';

/** How long the fan-out keeps trying to reach a device with an order's alert. */
const ORDER_ALERT_EXPIRY_MINUTES = 360;

/** Statuses of an order after which none of its earlier warnings may still go out. */
const ENDED: ReadonlySet<OrderStatus> = new Set([OrderStatus.Lifted, OrderStatus.Retracted]);

/**
 * Messages that warn of the danger. A shrink's lift is not one: the districts it removed hear of the end only
 * through it (the order's own lift addresses the districts still in it).
 */
const WARNINGS: ReadonlySet<OrderMessageKind> = new Set([
  OrderMessageKind.Issue,
  OrderMessageKind.Raise,
  OrderMessageKind.Lower,
  OrderMessageKind.Extend,
]);

/** Alerts that have not gone out yet. */
const UNSENT = [AlertStatus.Draft, AlertStatus.PendingApproval, AlertStatus.Approved];

/** The channels an evacuation order reaches: those of the evacuation_order template. */
const ORDER_CHANNELS = findTemplate('evacuation_order').channels;

/** `evacuation.level4.issue`: the level and the kind of message, so the console and the feed rules tell them apart. */
export function orderTemplateKey(message: Pick<OrderMessage, 'kind' | 'level'>): string {
  return `evacuation.level${message.level}.${message.kind}`;
}

/** What a new order names. */
export interface NewOrderInput {
  hazard: Hazard;
  level: number;
  districtCodes?: string[];
  wholeMunicipality?: boolean;
}

/** A command from the api, before its districts are looked up. */
export type OrderRequest =
  | Exclude<
      OrderCommand,
      { action: OrderAction.ChangeLevel | OrderAction.AddDistricts | OrderAction.RemoveDistricts }
    >
  | { action: OrderAction.ChangeLevel; level: number }
  | { action: 'districts'; add: string[]; remove: string[] };

/** One step as stored: the order after it and the alert its message became (null when nobody hears of it). */
export interface OrderStepResult {
  order: StoredOrder;
  alerts: AlertEntity[];
  /** The versions the request stored, one per step (`districts` with both add and remove makes two). */
  versions: number[];
}

/** What a step's message was worded with: the hand-off record is built from the same. */
interface Announced {
  alert: AlertEntity;
  municipality: { code: string; name: string };
  openShelters: ShelterView[];
  wording: OrderWordingInput;
}

function hasMessage(step: OrderStep): step is OrderStep & { message: OrderMessage } {
  return step.message !== null;
}

function actorOf(op: OperatorPrincipal): Actor {
  return { kind: 'operator', id: op.operatorId, role: op.role };
}

function checkLevel(level: number): asserts level is EvacuationLevel {
  if (!isEvacuationLevel(level)) {
    throw new ValidationError(
      'An evacuation order is level 3 (高齢者等避難), 4 (避難指示) or 5 (緊急安全確保)',
      {
        field: 'level',
        level,
      },
    );
  }
}

/**
 * Commands on evacuation orders (docs/evacuation.md): each in one transaction — the order locked, the step
 * decided by `applyOrderCommand`, stored with its history row, and its message (if any) made into an alert
 * through the alert lifecycle. The alert is submitted; it is approved and sent at once when no second person is
 * needed (`needsApproval`), or when the issuer of a draft someone else wrote (or the feeds drafted) is an
 * approver — they are the second person. Otherwise it waits in pending_approval for the alerts' approve/send.
 */
@Injectable()
export class EvacuationOrdersUseCase {
  constructor(
    private readonly orders: EvacuationOrderRepository,
    private readonly handoffs: EvacuationHandoffRepository,
    private readonly proposals: EvacuationProposalRepository,
    private readonly roster: RosterRepository,
    private readonly shelters: ShelterRepository,
    private readonly lifecycle: AlertLifecycle,
    private readonly checks: AlertChecks,
    private readonly tx: TransactionRunner,
  ) {}

  /** A new draft: tells nobody anything yet. */
  async create(op: OperatorPrincipal, municipalityId: string, input: NewOrderInput): Promise<StoredOrder> {
    checkLevel(input.level);
    const codes = input.districtCodes ?? [];
    const whole = input.wholeMunicipality ?? false;
    if (whole && codes.length > 0) {
      throw new ValidationError('Name districts or the whole municipality (wholeMunicipality), not both');
    }
    if (!whole && codes.length === 0) {
      throw new ValidationError('Name the districts of the order (districtCodes) or wholeMunicipality: true');
    }
    const districts = await this.lookUp(municipalityId, codes);
    return this.tx.run(async (t) => {
      const order = draftOrder({
        id: await this.orders.nextId(t),
        municipalityId,
        hazard: input.hazard,
        level: input.level,
        wholeMunicipality: whole,
        districts,
        createdBy: op.operatorId,
      });
      return this.orders.insert(t, order, { source: OrderSource.Operator, sourceDocumentId: null });
    });
  }

  /** Applies a request to the order at `expectedVersion` (a conflict when it moved on meanwhile). */
  async command(
    op: OperatorPrincipal,
    municipalityId: string,
    id: string,
    expectedVersion: number,
    request: OrderRequest,
  ): Promise<OrderStepResult> {
    const { commands, added } = await this.commandsOf(municipalityId, request);
    return this.tx.run(async (t) => {
      const current = await this.orders.lockForUpdate(t, municipalityId, id);
      if (!current) throw new NotFoundError('evacuation order', id);
      if (current.version !== expectedVersion) {
        throw new ConflictError(
          `The evacuation order is at version ${current.version}, not ${expectedVersion}: reload it and try again`,
          { expectedVersion, version: current.version },
        );
      }
      const alerts: AlertEntity[] = [];
      const versions: number[] = [];
      let order = current;
      for (const command of commands) {
        const step = applyOrderCommand(order, command, {
          actor: { id: op.operatorId, role: op.role },
          at: new Date(),
        });
        if (ENDED.has(step.order.status)) await this.withdrawUnsent(t, op, step.order);
        const announced = hasMessage(step) ? await this.announce(t, op, order, step, added) : null;
        await this.orders.saveStep(t, step.order, step.history, announced?.alert.id ?? null);
        if (announced && hasMessage(step)) {
          await this.recordHandoff(t, op, step, announced);
          await this.applyProposals(t, op, step);
          alerts.push(announced.alert);
        }
        versions.push(step.order.version);
        order = await this.orders.findById(municipalityId, id, t);
      }
      return { order, alerts, versions };
    });
  }

  /** An operator decides against a feed's proposal. */
  dismissProposal(op: OperatorPrincipal, municipalityId: string, id: string): Promise<StoredProposal> {
    return this.tx.run((t) => this.proposals.dismiss(t, municipalityId, id, op.operatorId));
  }

  /**
   * A lifted or retracted order's earlier warnings that never went out (waiting for approval, approved, still a
   * draft) are cancelled: an approver must not send a warning after the order ended.
   */
  private async withdrawUnsent(
    t: Transaction,
    op: OperatorPrincipal,
    order: Pick<StoredOrder, 'id' | 'municipalityId'>,
  ): Promise<void> {
    for (const h of await this.orders.history(order.id, t)) {
      const warning = h.messageKind !== null && WARNINGS.has(h.messageKind);
      if (warning && h.alertId && h.alertStatus && isIn(UNSENT, h.alertStatus)) {
        await this.lifecycle.apply(
          order.municipalityId,
          h.alertId,
          { action: AlertAction.Cancel, actor: actorOf(op) },
          t,
        );
      }
    }
  }

  private async lookUp(municipalityId: string, codes: readonly string[]): Promise<StoredOrderDistrict[]> {
    const { districts, missing } = await this.orders.districtsByCode(municipalityId, codes);
    if (missing.length > 0) {
      throw new ValidationError(`Unknown district codes: ${missing.join(', ')}`, {
        field: 'districtCodes',
        codes: missing,
      });
    }
    return districts;
  }

  /** The domain's commands of a request, and the districts it adds (looked up: unknown codes are refused). */
  private async commandsOf(
    municipalityId: string,
    request: OrderRequest,
  ): Promise<{ commands: OrderCommand[]; added: StoredOrderDistrict[] }> {
    switch (request.action) {
      case OrderAction.ChangeLevel:
        checkLevel(request.level);
        return { commands: [{ action: OrderAction.ChangeLevel, level: request.level }], added: [] };
      case 'districts': {
        if (request.add.length === 0 && request.remove.length === 0) {
          throw new ValidationError('Name districts to add or to remove');
        }
        const added = await this.lookUp(municipalityId, request.add);
        const out: OrderCommand[] = [];
        if (added.length > 0) out.push({ action: OrderAction.AddDistricts, districts: added });
        if (request.remove.length > 0)
          out.push({ action: OrderAction.RemoveDistricts, codes: request.remove });
        return { commands: out, added };
      }
      case OrderAction.Issue:
      case OrderAction.Lift:
      case OrderAction.Retract:
      case OrderAction.Discard:
        return { commands: [request], added: [] };
    }
  }

  /**
   * The feeds' proposals this step carries out (docs/evacuation.md §6): a lower to the proposed level, or the lift
   * of the level a proposal said ends, marks them applied by the operator.
   */
  private async applyProposals(
    t: Transaction,
    op: OperatorPrincipal,
    step: OrderStep & { message: OrderMessage },
  ): Promise<void> {
    const kind =
      step.message.kind === OrderMessageKind.Lower
        ? ProposalKind.Lower
        : step.message.kind === OrderMessageKind.Lift
          ? ProposalKind.Lift
          : null;
    if (kind) await this.proposals.markApplied(t, step.order.id, kind, step.message.level, op.operatorId);
  }

  /** The hand-off record of a step with a message: what the office enters in L-Alert and the area mail. */
  private async recordHandoff(
    t: Transaction,
    op: OperatorPrincipal,
    step: OrderStep & { message: OrderMessage },
    announced: Announced,
  ): Promise<void> {
    const { municipality } = announced;
    await this.handoffs.insert(t, {
      municipalityId: step.order.municipalityId,
      orderId: step.order.id,
      version: step.order.version,
      lalert: lalertRecord({
        municipality,
        order: step.order,
        message: step.message,
        changedAt: step.history.at,
        counts: await this.handoffs.counts(t, step.order.municipalityId, municipality.code),
        openShelters: announced.openShelters.map((s) => ({
          code: s.externalId,
          name: s.name,
          address: s.address,
        })),
        recordedBy: op.operatorId,
      }),
      areaMail: areaMailDrafts(announced.wording),
      items: newHandoffChecklist(),
    });
  }

  /** The alert of a step's message, created, submitted and — when no one else must approve — approved and sent. */
  private async announce(
    t: Transaction,
    op: OperatorPrincipal,
    before: StoredOrder,
    step: OrderStep & { message: OrderMessage },
    added: readonly StoredOrderDistrict[],
  ): Promise<Announced> {
    const { message } = step;
    const areaIdOf = new Map([...before.districts, ...added].map((d) => [d.code, d.areaId]));
    const areaIds = message.districts.flatMap((d) => areaIdOf.get(d.code) ?? []);
    const municipality = await this.roster.municipality(before.municipalityId);
    const open = await this.shelters.list(before.municipalityId, { status: ShelterStatus.Open });
    const openShelters = shelterNamesForOrder(open, {
      hazard: message.hazard,
      areaIds: message.wholeMunicipality ? null : areaIds,
    });
    const targeting: Targeting = message.wholeMunicipality ? { all: true } : { areaIds };
    const templateKey = orderTemplateKey(message);
    const wording: OrderWordingInput = {
      message,
      municipalityName: municipality.name,
      openShelters,
      at: step.history.at,
    };
    const texts = orderMessageTexts(wording);
    const done = (sent: AlertEntity): Announced => ({
      alert: sent,
      municipality: { code: municipality.code, name: municipality.name },
      openShelters: openShelters.flatMap((name) => open.find((s) => s.name === name) ?? []),
      wording,
    });
    await this.checks.assertSendable({
      municipalityId: before.municipalityId,
      texts,
      targeting,
      channels: ORDER_CHANNELS,
    });
    const actor = { id: op.operatorId, role: op.role };
    // the issuer of a draft another person (or the feeds) wrote, when an approver, is the second person
    const secondPerson =
      message.kind === OrderMessageKind.Issue &&
      before.createdBy !== op.operatorId &&
      roleSatisfies(op.role, Role.Approver);
    const singleStep = !needsApproval(message, actor);
    const { alert } = await this.lifecycle.create(
      {
        municipalityId: before.municipalityId,
        source: AlertSource.Operator,
        templateKey,
        texts,
        severity: orderSeverity(message),
        targeting,
        channels: [...ORDER_CHANNELS],
        isDrill: false,
        safetyRequest: false,
        createdBy: secondPerson ? before.createdBy : op.operatorId,
        supersedesId: null,
        idempotencyKey: `evacuation-order-${step.order.id}-v${step.order.version}`,
        expiresAt: new Date(step.history.at.getTime() + ORDER_ALERT_EXPIRY_MINUTES * 60_000),
        // receivers announce it by the message: priority and lead-in (docs/receiver-protocol.md §3.1)
        evacuationMessage: { kind: message.kind, level: message.level },
      },
      t,
    );
    const submitted = await this.lifecycle.apply(
      alert.municipalityId,
      alert.id,
      { action: AlertAction.Submit },
      t,
    );
    if (!singleStep && !secondPerson) return done(submitted);
    await this.lifecycle.apply(
      alert.municipalityId,
      alert.id,
      // an admin's single-step Level 5 is allowed by the order's own rule (needsApproval), for this alert's kind
      { action: AlertAction.Approve, actor: actorOf(op), singleStepKinds: singleStep ? [templateKey] : [] },
      t,
    );
    return done(await this.lifecycle.apply(alert.municipalityId, alert.id, { action: AlertAction.Send }, t));
  }
}
