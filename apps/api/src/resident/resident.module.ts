import { Module } from '@nestjs/common';
import { EmailConfirmationController } from './email-confirmation.controller';
import { EmailConfirmationService } from './email-confirmation.service';
import { ResidentController } from './resident.controller';

@Module({
  controllers: [ResidentController, EmailConfirmationController],
  providers: [EmailConfirmationService],
})
export class ResidentModule {}
