import { Module } from '@nestjs/common';
import { PublicPersistenceModule } from '@bousai/persistence';
import { PublicAlertsController } from './public-alerts.controller';
import { PublicAlertsUseCase } from './public-alerts.use-case';

@Module({
  imports: [PublicPersistenceModule],
  controllers: [PublicAlertsController],
  providers: [PublicAlertsUseCase],
})
export class PublicAlertsModule {}
