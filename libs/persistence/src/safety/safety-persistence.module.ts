import { Module } from '@nestjs/common';
import { EscalationRepository } from './escalation.repository';
import { SafetyRepository } from './safety.repository';

const REPOSITORIES = [SafetyRepository, EscalationRepository];

/** 安否確認 and escalation repositories, for the api (answers, follow-up list) and the fanout (the ladder). */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class SafetyPersistenceModule {}
