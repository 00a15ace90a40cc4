import { Module } from '@nestjs/common';
import { PublicAlertsController } from './public-alerts.controller';
import { PublicAlertsUseCase } from './public-alerts.use-case';

@Module({ controllers: [PublicAlertsController], providers: [PublicAlertsUseCase] })
export class PublicAlertsModule {}
