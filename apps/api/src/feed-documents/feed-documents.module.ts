import { Module } from '@nestjs/common';
import { FeedsPersistenceModule } from '@bousai/persistence';
import { FeedDocumentsController } from './feed-documents.controller';
import { FeedDocumentsUseCase } from './feed-documents.use-case';

@Module({
  imports: [FeedsPersistenceModule],
  controllers: [FeedDocumentsController],
  providers: [FeedDocumentsUseCase],
})
export class FeedDocumentsModule {}
