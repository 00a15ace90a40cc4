import { Module } from '@nestjs/common';
import {
  AlertsPersistenceModule,
  AuditPersistenceModule,
  RosterPersistenceModule,
  SafetyPersistenceModule,
} from '@bousai/persistence';
import { HouseholdSafetyUseCase } from './household-safety.use-case';
import { ReceiverSafetyAnswerUseCase } from './receiver-safety-answer.use-case';
import { SafetyAnswerWriter } from './safety-answer.writer';
import { SafetyAnswersUseCase } from './safety-answers.use-case';
import { SafetyViewsUseCase } from './safety-views.use-case';
import {
  OneTapSafetyController,
  ResidentSafetyController,
  SafetyOperatorController,
} from './safety.controllers';

/** 安否確認: asking, answers from every channel, supporters' reports and the staff follow-up list. */
@Module({
  imports: [
    AlertsPersistenceModule,
    AuditPersistenceModule,
    RosterPersistenceModule,
    SafetyPersistenceModule,
  ],
  controllers: [SafetyOperatorController, ResidentSafetyController, OneTapSafetyController],
  providers: [
    SafetyAnswerWriter,
    SafetyAnswersUseCase,
    HouseholdSafetyUseCase,
    SafetyViewsUseCase,
    ReceiverSafetyAnswerUseCase,
  ],
  exports: [ReceiverSafetyAnswerUseCase, SafetyAnswersUseCase],
})
export class SafetyModule {}
