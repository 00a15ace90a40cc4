import { Module } from '@nestjs/common';
import { AlertLifecycleUseCase } from './alert-lifecycle.use-case';
import { AlertsController } from './alerts.controller';

@Module({
  controllers: [AlertsController],
  providers: [AlertLifecycleUseCase],
  exports: [AlertLifecycleUseCase],
})
export class AlertsModule {}
