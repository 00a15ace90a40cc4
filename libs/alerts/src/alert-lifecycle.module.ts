import { Module } from '@nestjs/common';
import { AlertsPersistenceModule } from '@bousai/persistence';
import { AlertLifecycle } from './alert-lifecycle';

/**
 * The alert lifecycle service. Its alert repository comes from `AlertsPersistenceModule`; the transaction runner and
 * the outbox writer from the process's one `PersistenceModule`.
 */
@Module({ imports: [AlertsPersistenceModule], providers: [AlertLifecycle], exports: [AlertLifecycle] })
export class AlertLifecycleModule {}
