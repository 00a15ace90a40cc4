import { Injectable } from '@nestjs/common';
import { FeedDocumentRepository } from '@bousai/persistence';

/**
 * What ingest received, as operators see it: the national feeds' documents (the same for every operator) and those
 * the operator's own municipality relayed, newest first.
 */
@Injectable()
export class FeedDocumentsUseCase {
  constructor(private readonly documents: FeedDocumentRepository) {}

  /** The newest documents, parsed or not (the console's "latest feed documents"). */
  latest(limit: number, municipalityId: string) {
    return this.documents.recent(limit, municipalityId);
  }

  /** The newest documents that could not be parsed. */
  failures(limit: number, municipalityId: string) {
    return this.documents.recentFailures(limit, municipalityId);
  }
}
