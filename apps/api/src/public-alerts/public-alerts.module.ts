import { Module } from '@nestjs/common';
import { PublicPersistenceModule } from '@bousai/persistence';
import { PublicAlertsController } from './public-alerts.controller';

@Module({ imports: [PublicPersistenceModule], controllers: [PublicAlertsController] })
export class PublicAlertsModule {}
