import { Module } from '@nestjs/common';
import { RosterPersistenceModule } from '@bousai/persistence';
import { EmailConfirmationController } from './email-confirmation.controller';
import { EmailConfirmationService } from './email-confirmation.service';
import { ResidentController } from './resident.controller';
import { ResidentSelfServiceUseCase } from './resident-self-service.use-case';

@Module({
  imports: [RosterPersistenceModule],
  controllers: [ResidentController, EmailConfirmationController],
  providers: [EmailConfirmationService, ResidentSelfServiceUseCase],
})
export class ResidentModule {}
