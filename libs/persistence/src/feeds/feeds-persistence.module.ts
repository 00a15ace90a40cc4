import { Module } from '@nestjs/common';
import { FeedDocumentRepository } from './feed-document.repository';

/** Ingest's repositories; they use the app's one DataSource from `PersistenceModule`. */
@Module({ providers: [FeedDocumentRepository], exports: [FeedDocumentRepository] })
export class FeedsPersistenceModule {}
