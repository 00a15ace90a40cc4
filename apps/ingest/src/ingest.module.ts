import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigModule, type Env } from '@bousai/config';
import { ObservabilityModule } from '@bousai/observability';
import { FeedsPersistenceModule, PersistenceModule, postgresReadiness } from '@bousai/persistence';
import { RedisModule, redisReadiness } from '@bousai/queue';
import { DocumentIntakeUseCase } from './intake/document-intake.use-case';
import { FEED_MESSAGE_SINK, type FeedMessageSink } from './intake/feed-message.sink';
import { IngestMetrics } from './intake/ingest.metrics';
import { JAlertRelayController } from './jalert/jalert-relay.controller';
import { JAlertRelayUseCase } from './jalert/jalert-relay.use-case';
import { RelayReplayCache } from './jalert/relay-replay.cache';
import { FeedPollLock } from './jma/feed-poll.lock';
import { JmaFeedPoller } from './jma/jma-feed.poller';
import { FeedRulesIngestModule } from './rules/feed-rules-ingest.module';
import { RulesFeedMessageSink } from './rules/rules-feed-message.sink';

export interface IngestModuleOptions {
  /** Where parsed messages go instead of the default (recorded on the document row, then the feed rules). */
  messageSink?: FeedMessageSink;
}

/**
 * The ingest process: the JMA PULL poller and the J-ALERT relay, both feeding one intake (raw document stored,
 * then parsed, then handed to the message sink: recorded, then run through the municipalities' feed rules). `forRoot` validates the environment when called, so `main.ts`
 * can report a bad configuration before anything connects; tests pass their own environment.
 */
@Module({})
export class IngestModule {
  static forRoot(env?: Env, options: IngestModuleOptions = {}): DynamicModule {
    const sink: Provider = options.messageSink
      ? { provide: FEED_MESSAGE_SINK, useValue: options.messageSink }
      : { provide: FEED_MESSAGE_SINK, useExisting: RulesFeedMessageSink };
    return {
      module: IngestModule,
      imports: [
        ConfigModule.forApp('ingest', env),
        PersistenceModule,
        FeedsPersistenceModule,
        RedisModule,
        ObservabilityModule.forApp('ingest', { readiness: [postgresReadiness, redisReadiness] }),
        FeedRulesIngestModule,
      ],
      controllers: [JAlertRelayController],
      providers: [
        IngestMetrics,
        sink,
        DocumentIntakeUseCase,
        RelayReplayCache,
        JAlertRelayUseCase,
        FeedPollLock,
        // lifecycle owner last: it starts polling once everything above is ready
        JmaFeedPoller,
      ],
    };
  }
}
