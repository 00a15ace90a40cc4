import { Injectable } from '@nestjs/common';
import {
  draftOrder,
  evacuationDraftLevels,
  OrderSource,
  OrderStatus,
  type EvacuationLevel,
} from '@bousai/domain';
import { type EvacuationProposal, type FeedMessage, proposeEvacuationDrafts } from '@bousai/feeds';
import {
  EvacuationOrderRepository,
  EvacuationProposalRepository,
  type MunicipalityCodesRow,
  ProposalKind,
  type StoredOrder,
  type Transaction,
} from '@bousai/persistence';

/** What one telegram did to a municipality's evacuation orders: drafts made, proposals recorded. */
export interface EvacuationFeedOutcome {
  drafts: { orderId: string; hazard: string; level: number; districtCodes: string[] }[];
  proposals: { proposalId: string; orderId: string; kind: ProposalKind; level: number }[];
}

/**
 * JMA telegrams → evacuation order drafts and proposals (docs/evacuation.md §6). Nothing is ever issued here: an
 * `issue` proposal at a level the municipality drafts at (`settings.evacuationDrafts`) becomes a DRAFT order for
 * exactly the districts of the JMA codes named, minus those where an order of that hazard at that level or higher
 * is in force, unless an open draft of that hazard and level already covers them (a re-delivered or corrected
 * telegram drafts nothing twice); `lower` and `lift` are recorded against the issued orders they concern.
 */
@Injectable()
export class FeedEvacuationDrafts {
  constructor(
    private readonly orders: EvacuationOrderRepository,
    private readonly proposals: EvacuationProposalRepository,
  ) {}

  async apply(
    em: Transaction,
    m: MunicipalityCodesRow,
    message: FeedMessage,
    documentId: string | null,
  ): Promise<EvacuationFeedOutcome> {
    const outcome: EvacuationFeedOutcome = { drafts: [], proposals: [] };
    const proposed = proposeEvacuationDrafts(message, m.cityCodes);
    if (proposed.length === 0) return outcome;
    const levels = evacuationDraftLevels(await this.proposals.settings(em, m.id));
    const [issued, drafts] = await Promise.all([
      this.orders.listByStatus(m.id, OrderStatus.Issued),
      this.orders.listByStatus(m.id, OrderStatus.Draft),
    ]);
    for (const p of proposed) {
      const districts = await this.proposals.districtsOfJmaCities(em, m.id, p.jmaAreaCodes);
      if (districts.length === 0) continue;
      if (p.kind === 'issue') {
        if (!levels.includes(p.level)) continue;
        const draft = await this.draft(em, m.id, p, districts, issued, drafts, documentId);
        if (draft) outcome.drafts.push(draft);
      } else {
        outcome.proposals.push(...(await this.propose(em, m.id, p, districts, issued, documentId)));
      }
    }
    return outcome;
  }

  private async draft(
    em: Transaction,
    municipalityId: string,
    p: EvacuationProposal,
    named: StoredOrder['districts'],
    issued: readonly StoredOrder[],
    drafts: readonly StoredOrder[],
    documentId: string | null,
  ): Promise<EvacuationFeedOutcome['drafts'][number] | null> {
    const level = p.level as EvacuationLevel;
    const inForce = issued.filter((o) => o.hazard === p.hazard && o.level >= level);
    const districts = named.filter((d) => !inForce.some((o) => covers(o, d.code)));
    if (districts.length === 0) return null;
    const open = drafts.some(
      (o) => o.hazard === p.hazard && o.level === level && districts.every((d) => covers(o, d.code)),
    );
    if (open) return null;
    const order = draftOrder({
      id: await this.orders.nextId(em),
      municipalityId,
      hazard: p.hazard,
      level,
      wholeMunicipality: false,
      districts: districts.map(({ code, name, nameKana }) => ({ code, name, nameKana })),
      createdBy: null,
    });
    await this.orders.insert(em, order, { source: OrderSource.Feed, sourceDocumentId: documentId });
    return { orderId: order.id, hazard: p.hazard, level, districtCodes: districts.map((d) => d.code) };
  }

  private async propose(
    em: Transaction,
    municipalityId: string,
    p: EvacuationProposal,
    named: StoredOrder['districts'],
    issued: readonly StoredOrder[],
    documentId: string | null,
  ): Promise<EvacuationFeedOutcome['proposals']> {
    const kind = p.kind === 'lower' ? ProposalKind.Lower : ProposalKind.Lift;
    const level = p.level as EvacuationLevel;
    const out: EvacuationFeedOutcome['proposals'] = [];
    for (const o of issued) {
      if (o.hazard !== p.hazard || (kind === ProposalKind.Lower && o.level <= level)) continue;
      const districtCodes = named.filter((d) => covers(o, d.code)).map((d) => d.code);
      if (districtCodes.length === 0) continue;
      const proposalId = await this.proposals.record(em, {
        municipalityId,
        orderId: o.id,
        kind,
        hazard: p.hazard,
        level: p.level,
        districtCodes,
        sourceDocumentId: documentId,
      });
      if (proposalId) out.push({ proposalId, orderId: o.id, kind, level: p.level });
    }
    return out;
  }
}

function covers(order: StoredOrder, districtCode: string): boolean {
  return order.wholeMunicipality || order.districts.some((d) => d.code === districtCode);
}
