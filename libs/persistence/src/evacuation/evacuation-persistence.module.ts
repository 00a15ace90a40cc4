import { Module } from '@nestjs/common';
import { EvacuationHandoffRepository } from './evacuation-handoff.repository';
import { EvacuationOrderRepository } from './evacuation-order.repository';
import { EvacuationProposalRepository } from './evacuation-proposal.repository';

/** Evacuation orders, their districts and history, for the api. */
@Module({
  providers: [EvacuationOrderRepository, EvacuationProposalRepository, EvacuationHandoffRepository],
  exports: [EvacuationOrderRepository, EvacuationProposalRepository, EvacuationHandoffRepository],
})
export class EvacuationPersistenceModule {}
