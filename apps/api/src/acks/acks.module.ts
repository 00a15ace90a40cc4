import { Module } from '@nestjs/common';
import { AcksPersistenceModule } from '@bousai/persistence';
import { AcksController } from './acks.controller';
import { DeliveryAckWriter } from './delivery-ack.writer';
import { RecordAcksUseCase } from './record-acks.use-case';

/** Delivery acknowledgements from residents' apps and browsers, by resident credential or signed token. */
@Module({
  imports: [AcksPersistenceModule],
  controllers: [AcksController],
  providers: [DeliveryAckWriter, RecordAcksUseCase],
})
export class AcksModule {}
