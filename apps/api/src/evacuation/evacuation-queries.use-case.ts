import { Injectable } from '@nestjs/common';
import type { OrderStatus } from '@bousai/domain';
import {
  type DistrictCounts,
  EvacuationOrderRepository,
  EvacuationProposalRepository,
  type StoredDistrictInForce,
  type StoredOrder,
  type StoredOrderHistoryEntry,
  type StoredProposal,
} from '@bousai/persistence';

const NO_ONE: Omit<DistrictCounts, 'areaId'> = { households: 0, people: 0 };

/** An order with the households and people of each district, and every step with its alert. */
export interface OrderDetail {
  order: StoredOrder;
  counts: ReadonlyMap<string, Omit<DistrictCounts, 'areaId'>>;
  history: StoredOrderHistoryEntry[];
  /** The feeds' proposals nobody dismissed or applied yet, newest first. */
  proposals: StoredProposal[];
}

/** A district in force with the households and people living there. */
export type DistrictInForceWithCounts = StoredDistrictInForce & Omit<DistrictCounts, 'areaId'>;

/**
 * What the office reads of evacuation orders: lists, one order in full, what is in force per district, and what
 * the feeds proposed for the issued ones.
 */
@Injectable()
export class EvacuationQueriesUseCase {
  constructor(
    private readonly orders: EvacuationOrderRepository,
    private readonly proposals: EvacuationProposalRepository,
  ) {}

  list(municipalityId: string, status?: OrderStatus): Promise<StoredOrder[]> {
    return this.orders.listByStatus(municipalityId, status);
  }

  async detail(municipalityId: string, id: string): Promise<OrderDetail> {
    const order = await this.orders.findById(municipalityId, id);
    const [counts, history, proposals] = await Promise.all([
      this.orders.counts(
        municipalityId,
        order.districts.map((d) => d.areaId),
      ),
      this.orders.history(id),
      this.proposals.open(municipalityId, id),
    ]);
    return { order, counts: new Map(counts.map(({ areaId, ...c }) => [areaId, c])), history, proposals };
  }

  async inForce(municipalityId: string): Promise<DistrictInForceWithCounts[]> {
    const districts = await this.orders.inForceByDistrict(municipalityId);
    const counts = new Map(
      (
        await this.orders.counts(
          municipalityId,
          districts.map((d) => d.areaId),
        )
      ).map(({ areaId, ...c }) => [areaId, c]),
    );
    return districts.map((d) => ({ ...d, ...(counts.get(d.areaId) ?? NO_ONE) }));
  }

  /** The feeds' proposals to lower or lift issued orders (of one order, if given), newest first. */
  proposalsFor(municipalityId: string, orderId?: string): Promise<StoredProposal[]> {
    return this.proposals.list(municipalityId, orderId);
  }
}
