import { Module } from '@nestjs/common';
import { AlertRepository } from './alert.repository';

const REPOSITORIES = [AlertRepository];

/** Alerts and their lifecycle's outbox rows, for the api (operators, drills, safety answers) and ingest (feed rules). */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class AlertsPersistenceModule {}
