import { Module } from '@nestjs/common';
import { AlertLifecycle } from './alert-lifecycle';

/** The alert lifecycle service; its repositories come from the global `PersistenceModule`. */
@Module({ providers: [AlertLifecycle], exports: [AlertLifecycle] })
export class AlertLifecycleModule {}
