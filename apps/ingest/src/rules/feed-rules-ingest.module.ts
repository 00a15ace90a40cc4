import { Module } from '@nestjs/common';
import { AlertLifecycleModule } from '@bousai/alerts';
import {
  AlertsPersistenceModule,
  FeedRulesPersistenceModule,
  FeedsPersistenceModule,
} from '@bousai/persistence';
import { RecordingFeedMessageSink } from '../intake/feed-message.sink';
import { ApplyFeedRulesUseCase } from './apply-feed-rules.use-case';
import { RulesFeedMessageSink } from './rules-feed-message.sink';

/**
 * The feed rules in ingest. Wiring: import this module and bind the sink to it —
 * `{ provide: FEED_MESSAGE_SINK, useExisting: RulesFeedMessageSink }`.
 */
@Module({
  imports: [
    FeedsPersistenceModule,
    FeedRulesPersistenceModule,
    AlertsPersistenceModule,
    AlertLifecycleModule,
  ],
  providers: [RecordingFeedMessageSink, ApplyFeedRulesUseCase, RulesFeedMessageSink],
  exports: [ApplyFeedRulesUseCase, RulesFeedMessageSink],
})
export class FeedRulesIngestModule {}
