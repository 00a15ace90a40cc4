import { Module } from '@nestjs/common';
import { EvacuationOrderRepository } from './evacuation-order.repository';

/** Evacuation orders, their districts and history, for the api. */
@Module({ providers: [EvacuationOrderRepository], exports: [EvacuationOrderRepository] })
export class EvacuationPersistenceModule {}
