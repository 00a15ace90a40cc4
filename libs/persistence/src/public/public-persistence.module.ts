import { Module } from '@nestjs/common';
import { PublicAlertRepository } from './public-alert.repository';

const REPOSITORIES = [PublicAlertRepository];

/** What the public alert pages read. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class PublicPersistenceModule {}
