import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { type ChannelAdapter } from '@bousai/channels';
import { AlertLifecycleModule } from '@bousai/alerts';
import {
  EmailChannelAdapter,
  EmailChannelModule,
  FcmChannelAdapter,
  FcmChannelModule,
  LineChannelAdapter,
  LineChannelModule,
  PublicPublishersModule,
  ReceiverChannelAdapter,
  ReceiverChannelModule,
  WebPushChannelAdapter,
  WebPushChannelModule,
} from '@bousai/channels/senders';
import { APP_CONFIG, ConfigModule, type Env, type FanoutConfig, loadConfig } from '@bousai/config';
import { ObservabilityModule } from '@bousai/observability';
import {
  AuditPersistenceModule,
  FanoutPersistenceModule,
  PersistenceModule,
  postgresReadiness,
  RosterPersistenceModule,
  SafetyPersistenceModule,
} from '@bousai/persistence';
import { QueueProducerModule, RedisModule, redisReadiness } from '@bousai/queue';
import { AlertCancelProcessor } from './cancel/alert-cancel.processor';
import { CancelAlertUseCase } from './cancel/cancel-alert.use-case';
import { CHANNEL_ADAPTERS, ChannelRegistry } from './channels/channel-registry';
import { ConfirmEmailProcessor } from './confirm-email/confirm-email.processor';
import { ConfirmEmailUseCase } from './confirm-email/confirm-email.use-case';
import { FanoutAnnouncer } from './channels/fanout-announcer';
import { DispatchCompletion } from './completion/dispatch-completion.service';
import { DeliverBatchUseCase } from './deliver/deliver-batch.use-case';
import { ESCALATION_CLOCK, systemClock } from './escalation/escalation.clock';
import { EscalationScanner } from './escalation/escalation.scanner';
import { ChannelFallbackScanner } from './fallback/channel-fallback.scanner';
import { FanoutLease } from './lease/fanout-lease.service';
import { FANOUT_SETTINGS, fanoutSettings } from './fanout.settings';
import { OutboxRelay } from './outbox/outbox.relay';
import { AlertPlanProcessor } from './plan/alert-plan.processor';
import { PublishAlertProcessor } from './publish/publish-alert.processor';
import { PublishAlertUseCase } from './publish/publish-alert.use-case';
import { PlanAlertUseCase } from './plan/plan-alert.use-case';
import { FanoutSweeper } from './sweeper/fanout.sweeper';
import { DeliveryPartitionMaintenance } from './partitions/delivery-partition.maintenance';
import { FanoutWorkers } from './workers/fanout-workers';

export interface FanoutModuleOptions {
  /**
   * Senders to use instead of the ones `FANOUT_CHANNELS` names (tests drive the engine with their own
   * `ChannelAdapter`: our interface, not a provider's SDK).
   */
  adapters?: readonly ChannelAdapter[];
}

/** The real senders `FANOUT_CHANNELS` asks for; a channel without an implementation yet has none. */
function realSenders(config: FanoutConfig): {
  imports: DynamicModule['imports'];
  provider: Provider;
  extra: Provider[];
} {
  const imports: NonNullable<DynamicModule['imports']> = [];
  const extra: Provider[] = [];
  const tokens: (
    | typeof FcmChannelAdapter
    | typeof ReceiverChannelAdapter
    | typeof WebPushChannelAdapter
    | typeof EmailChannelAdapter
    | typeof LineChannelAdapter
  )[] = [];
  if (config.FANOUT_CHANNELS.includes('receiver')) {
    imports.push(ReceiverChannelModule);
    tokens.push(ReceiverChannelAdapter);
  }
  if (config.FANOUT_CHANNELS.includes('fcm')) {
    imports.push(FcmChannelModule);
    tokens.push(FcmChannelAdapter);
  }
  if (config.FANOUT_CHANNELS.includes('webpush')) {
    imports.push(WebPushChannelModule);
    tokens.push(WebPushChannelAdapter);
  }
  if (config.FANOUT_CHANNELS.includes('email')) {
    imports.push(EmailChannelModule);
    tokens.push(EmailChannelAdapter);
    // whoever mails alerts mails the address confirmations too (`email.confirm`)
    extra.push(ConfirmEmailUseCase, ConfirmEmailProcessor);
  }
  if (config.FANOUT_CHANNELS.includes('line')) {
    imports.push(LineChannelModule);
    tokens.push(LineChannelAdapter);
  }
  return {
    imports,
    extra,
    provider: {
      provide: CHANNEL_ADAPTERS,
      inject: tokens,
      useFactory: (...adapters: ChannelAdapter[]) => adapters,
    },
  };
}

/**
 * The fanout process: the outbox relay, the plan / batch / cancel workers (and, with an email sender, the
 * address-confirmation mails), the sweeper and the delivery partitions' upkeep. `forRoot` validates
 * the environment when called, so `main.ts` can report a bad configuration before anything connects; tests pass
 * their own environment (and senders).
 */
@Module({})
export class FanoutModule {
  static forRoot(env?: Env, options: FanoutModuleOptions = {}): DynamicModule {
    const config = loadConfig('fanout', env);
    const senders = options.adapters
      ? { imports: [], extra: [], provider: { provide: CHANNEL_ADAPTERS, useValue: options.adapters } }
      : realSenders(config);
    return {
      module: FanoutModule,
      imports: [
        ConfigModule.forApp('fanout', env),
        PersistenceModule,
        FanoutPersistenceModule,
        RosterPersistenceModule,
        SafetyPersistenceModule,
        AlertLifecycleModule,
        AuditPersistenceModule,
        RedisModule,
        QueueProducerModule,
        PublicPublishersModule,
        ObservabilityModule.forApp('fanout', { readiness: [postgresReadiness, redisReadiness] }),
        ...(senders.imports ?? []),
      ],
      providers: [
        { provide: FANOUT_SETTINGS, inject: [APP_CONFIG], useFactory: fanoutSettings },
        { provide: ESCALATION_CLOCK, useValue: systemClock },
        senders.provider,
        ChannelRegistry,
        DispatchCompletion,
        FanoutLease,
        PlanAlertUseCase,
        DeliverBatchUseCase,
        CancelAlertUseCase,
        AlertPlanProcessor,
        AlertCancelProcessor,
        PublishAlertUseCase,
        PublishAlertProcessor,
        ...senders.extra,
        // lifecycle owners last: their hooks start work once everything above is ready
        FanoutAnnouncer,
        OutboxRelay,
        FanoutSweeper,
        DeliveryPartitionMaintenance,
        ChannelFallbackScanner,
        EscalationScanner,
        FanoutWorkers,
      ],
    };
  }
}
