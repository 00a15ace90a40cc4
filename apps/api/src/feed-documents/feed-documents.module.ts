import { Module } from '@nestjs/common';
import { FeedsPersistenceModule } from '@bousai/persistence';
import { FeedDocumentsController } from './feed-documents.controller';
import { FeedFailuresUseCase } from './feed-failures.use-case';

@Module({
  imports: [FeedsPersistenceModule],
  controllers: [FeedDocumentsController],
  providers: [FeedFailuresUseCase],
})
export class FeedDocumentsModule {}
