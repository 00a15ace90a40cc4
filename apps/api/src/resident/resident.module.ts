import { Module } from '@nestjs/common';
import { RosterPersistenceModule } from '@bousai/persistence';
import { EmailConfirmationController } from './email-confirmation.controller';
import { EmailConfirmationService } from './email-confirmation.service';
import { ResidentController } from './resident.controller';

@Module({
  imports: [RosterPersistenceModule],
  controllers: [ResidentController, EmailConfirmationController],
  providers: [EmailConfirmationService],
})
export class ResidentModule {}
