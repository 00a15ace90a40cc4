import { Module } from '@nestjs/common';
import { FeedEventRepository } from './feed-event.repository';
import { FeedRuleRepository } from './feed-rule.repository';

const REPOSITORIES = [FeedRuleRepository, FeedEventRepository];

/** The feed rules' repositories; they use the app's one DataSource from `PersistenceModule`. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class FeedRulesPersistenceModule {}
