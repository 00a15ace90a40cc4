import { Injectable } from '@nestjs/common';
import type { JAlertMessage, NormalisedMessage } from '@bousai/feeds';
import { FeedDocumentRepository } from '@bousai/persistence';

/** What intake hands on: a parsed JMA/CAP document, or a J-ALERT relay's 国民保護 message. */
export type IntakeMessage = NormalisedMessage | JAlertMessage;

/**
 * Where a parsed message goes once its raw document is stored. The default records it on the `feed_document`
 * row; the rules (message → alert) plug in here later, wrapping or replacing it. Implementations must be
 * idempotent per document: a document left `pending` (the process died before its outcome was recorded) is
 * handed over again.
 */
export interface FeedMessageSink {
  accept(documentId: string, message: IntakeMessage): Promise<void>;
}

export const FEED_MESSAGE_SINK = Symbol('FEED_MESSAGE_SINK');

/** The default sink: the parsed message and its kind on the document row (`parse_status = parsed`). */
@Injectable()
export class RecordingFeedMessageSink implements FeedMessageSink {
  constructor(private readonly documents: FeedDocumentRepository) {}

  async accept(documentId: string, message: IntakeMessage): Promise<void> {
    await this.documents.recordParsed(documentId, message.kind, message);
  }
}
