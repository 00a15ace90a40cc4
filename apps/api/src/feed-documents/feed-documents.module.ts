import { Module } from '@nestjs/common';
import { FeedsPersistenceModule } from '@bousai/persistence';
import { FeedDocumentsController } from './feed-documents.controller';

@Module({ imports: [FeedsPersistenceModule], controllers: [FeedDocumentsController] })
export class FeedDocumentsModule {}
