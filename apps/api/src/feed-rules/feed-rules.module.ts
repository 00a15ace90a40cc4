import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { text } from 'express';
import { DEFAULT_MAX_BYTES } from '@bousai/feeds';
import { FeedRulesPersistenceModule } from '@bousai/persistence';
import { FEED_RULES_PATH, FeedRulesController } from './feed-rules.controller';
import { FeedRulesUseCase } from './feed-rules.use-case';

@Module({
  imports: [FeedRulesPersistenceModule],
  controllers: [FeedRulesController],
  providers: [FeedRulesUseCase],
})
export class FeedRulesModule implements NestModule {
  /** Telegrams are larger than the JSON body limit: the dry-run also takes the raw XML, up to the parser's cap. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(text({ type: ['application/xml', 'text/xml'], limit: DEFAULT_MAX_BYTES }))
      .forRoutes({ path: `${FEED_RULES_PATH}/dry-run`, method: RequestMethod.POST });
  }
}
