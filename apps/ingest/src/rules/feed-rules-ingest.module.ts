import { Module } from '@nestjs/common';
import { AlertLifecycleModule } from '@bousai/alerts';
import {
  AlertsPersistenceModule,
  AuditPersistenceModule,
  EvacuationPersistenceModule,
  FeedRulesPersistenceModule,
  FeedsPersistenceModule,
} from '@bousai/persistence';
import { RecordingFeedMessageSink } from '../intake/feed-message.sink';
import { ApplyFeedRulesUseCase } from './apply-feed-rules.use-case';
import { FeedEvacuationDrafts } from './feed-evacuation-drafts';
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
    EvacuationPersistenceModule,
    AuditPersistenceModule,
  ],
  providers: [RecordingFeedMessageSink, ApplyFeedRulesUseCase, FeedEvacuationDrafts, RulesFeedMessageSink],
  exports: [ApplyFeedRulesUseCase, RulesFeedMessageSink],
})
export class FeedRulesIngestModule {}
