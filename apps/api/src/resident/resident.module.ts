import { Module } from '@nestjs/common';
import { EmailConfirmationController } from './email-confirmation.controller';
import { EmailConfirmationService } from './email-confirmation.service';
import { ResidentController } from './resident.controller';
import { ResidentSelfServiceUseCase } from './resident-self-service.use-case';

@Module({
  controllers: [ResidentController, EmailConfirmationController],
  providers: [EmailConfirmationService, ResidentSelfServiceUseCase],
})
export class ResidentModule {}
