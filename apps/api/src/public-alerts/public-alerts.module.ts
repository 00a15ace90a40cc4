import { Module } from '@nestjs/common';
import { PublicAlertsController } from './public-alerts.controller';

@Module({ controllers: [PublicAlertsController] })
export class PublicAlertsModule {}
