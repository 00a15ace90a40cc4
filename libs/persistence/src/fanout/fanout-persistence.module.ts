import { Module } from '@nestjs/common';
import { ChannelFallbackRepository } from './channel-fallback.repository';
import { DeliveryBatchRepository } from './delivery-batch.repository';
import { DeliveryPartitionRepository } from './delivery-partitions.repository';
import { DeliveryPlanRepository } from './delivery-plan.repository';
import { FanoutAlertRepository } from './fanout-alert.repository';
import { FanoutLeaseRepository } from './fanout-lease.repository';
import { OutboxNotifications } from './outbox-notifications';
import { OutboxRelayRepository } from './outbox-relay.repository';
import { PublicationRepository } from './publication.repository';

const REPOSITORIES = [
  FanoutAlertRepository,
  DeliveryPlanRepository,
  DeliveryBatchRepository,
  OutboxRelayRepository,
  ChannelFallbackRepository,
  PublicationRepository,
  FanoutLeaseRepository,
  DeliveryPartitionRepository,
];

const PROVIDERS = [...REPOSITORIES, OutboxNotifications];

/**
 * The fan-out's repositories, and the outbox relay's LISTEN connection; they use the app's one DataSource from
 * `PersistenceModule`.
 */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class FanoutPersistenceModule {}
