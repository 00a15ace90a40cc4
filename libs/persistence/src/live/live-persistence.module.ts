import { Module } from '@nestjs/common';
import { LiveCountersRepository } from './live-counters.repository';

const REPOSITORIES = [LiveCountersRepository];

/** The live operator view's counters. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class LivePersistenceModule {}
