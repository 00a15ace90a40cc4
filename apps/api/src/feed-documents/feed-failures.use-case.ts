import { Injectable } from '@nestjs/common';
import { FeedDocumentRepository } from '@bousai/persistence';

/**
 * Documents ingest received but could not parse, newest first: the national feeds' (the same for every operator)
 * and those the operator's own municipality relayed.
 */
@Injectable()
export class FeedFailuresUseCase {
  constructor(private readonly documents: FeedDocumentRepository) {}

  recent(limit: number, municipalityId: string) {
    return this.documents.recentFailures(limit, municipalityId);
  }
}
