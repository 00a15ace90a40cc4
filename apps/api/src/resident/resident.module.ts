import { Module } from '@nestjs/common';
import { RosterPersistenceModule } from '@bousai/persistence';
import { EmailConfirmationController } from './email-confirmation.controller';
import { EmailConfirmationService } from './email-confirmation.service';
import { ResidentController, WebPushKeyController } from './resident.controller';
import { ResidentHomeUseCase } from './resident-home.use-case';
import { ResidentSelfServiceUseCase } from './resident-self-service.use-case';

@Module({
  imports: [RosterPersistenceModule],
  controllers: [ResidentController, WebPushKeyController, EmailConfirmationController],
  providers: [EmailConfirmationService, ResidentSelfServiceUseCase, ResidentHomeUseCase],
})
export class ResidentModule {}
