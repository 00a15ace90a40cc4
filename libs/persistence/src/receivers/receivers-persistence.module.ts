import { Module } from '@nestjs/common';
import { ReceiverRepository } from './receiver.repository';

const REPOSITORIES = [ReceiverRepository];

/** Household receivers and what they report. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class ReceiversPersistenceModule {}
