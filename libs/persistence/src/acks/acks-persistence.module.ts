import { Module } from '@nestjs/common';
import { DeliveryAckRepository } from './delivery-ack.repository';

const REPOSITORIES = [DeliveryAckRepository];

/** Delivery acknowledgements from residents' apps and browsers. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class AcksPersistenceModule {}
