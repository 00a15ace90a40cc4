import { Module, RequestMethod } from '@nestjs/common';
import { AcksPersistenceModule } from '@bousai/persistence';
import { AcksController } from './acks.controller';
import { DeliveryAckWriter } from './delivery-ack.writer';
import { RecordAcksUseCase } from './record-acks.use-case';

/**
 * The device-facing ack routes, which the api leaves out of its request log (one line per phone per alert would
 * cost more than the ack; docs/performance.md, "One ack per request").
 */
export const ACK_ROUTES: readonly { path: string; method: RequestMethod }[] = [
  { path: 'v1/acks', method: RequestMethod.POST },
  { path: 'v1/acks/signed', method: RequestMethod.POST },
];

/** Delivery acknowledgements from residents' apps and browsers, by resident credential or signed token. */
@Module({
  imports: [AcksPersistenceModule],
  controllers: [AcksController],
  providers: [DeliveryAckWriter, RecordAcksUseCase],
})
export class AcksModule {}
