import { Module } from '@nestjs/common';
import { EvacuationOrderRepository } from './evacuation-order.repository';
import { EvacuationProposalRepository } from './evacuation-proposal.repository';

/** Evacuation orders, their districts and history, for the api. */
@Module({
  providers: [EvacuationOrderRepository, EvacuationProposalRepository],
  exports: [EvacuationOrderRepository, EvacuationProposalRepository],
})
export class EvacuationPersistenceModule {}
