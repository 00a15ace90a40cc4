import { Injectable } from '@nestjs/common';
import {
  completeHandoffItem,
  type HandoffItem,
  HandoffTarget,
  handoffWarnings,
  type HandoffWarning,
  openHandoffItems,
  ValidationError,
  waiveHandoffItem,
} from '@bousai/domain';
import { EvacuationHandoffRepository, type StoredHandoff, TransactionRunner } from '@bousai/persistence';
import type { OperatorPrincipal } from '../auth/principal';

/** A hand-off record with what is still to do and what is wrong. */
export interface HandoffView extends StoredHandoff {
  open: HandoffTarget[];
  warnings: HandoffWarning[];
}

function viewOf(h: StoredHandoff): HandoffView {
  return { ...h, open: openHandoffItems(h.items).map((i) => i.target), warnings: handoffWarnings(h.items) };
}

const TARGETS: readonly string[] = Object.values(HandoffTarget);

function targetOf(item: string): HandoffTarget {
  if (!TARGETS.includes(item)) {
    throw new ValidationError(`No ${item} item on a hand-off checklist`, { item, items: TARGETS });
  }
  return item as HandoffTarget;
}

/**
 * The hand-off records of order steps (docs/evacuation.md): what the office enters by hand in L-Alert and the
 * carriers' area mail, listed with the open ones first, and their checklists ticked off.
 */
@Injectable()
export class EvacuationHandoffsUseCase {
  constructor(
    private readonly handoffs: EvacuationHandoffRepository,
    private readonly tx: TransactionRunner,
  ) {}

  /** Records with an open item first (a warning first among them), then newest first. */
  async list(municipalityId: string): Promise<HandoffView[]> {
    const views = (await this.handoffs.list(municipalityId)).map(viewOf);
    const rank = (v: HandoffView) => (v.warnings.length > 0 ? 0 : v.open.length > 0 ? 1 : 2);
    // Array.prototype.sort is stable: newest first stays within each rank
    return views.sort((a, b) => rank(a) - rank(b));
  }

  async get(municipalityId: string, id: string): Promise<HandoffView> {
    return viewOf(await this.handoffs.get(municipalityId, id));
  }

  /** Marks an item done (with an optional note such as the prefecture system's receipt number). */
  done(op: OperatorPrincipal, municipalityId: string, id: string, item: string, note?: string | null) {
    const target = targetOf(item);
    return this.update(municipalityId, id, (items) =>
      completeHandoffItem(items, target, { by: op.operatorId, at: new Date(), note }),
    );
  }

  /** Records that the area mail is deliberately not sent, and why. */
  waive(op: OperatorPrincipal, municipalityId: string, id: string, item: string, reason: string) {
    const target = targetOf(item);
    return this.update(municipalityId, id, (items) =>
      waiveHandoffItem(items, target, { by: op.operatorId, at: new Date(), note: reason }),
    );
  }

  private update(
    municipalityId: string,
    id: string,
    change: (items: readonly HandoffItem[]) => HandoffItem[],
  ): Promise<HandoffView> {
    return this.tx.run(async (t) => {
      const current = await this.handoffs.get(municipalityId, id, t);
      await this.handoffs.saveItems(t, id, change(current.items));
      // read back, with the name of who settled each item
      return viewOf(await this.handoffs.get(municipalityId, id, t));
    });
  }
}
