import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { FeedSource, ParseStatus } from '@bousai/domain';
import { FeedParseError, JAlertMessageError, parseFeedDocument, parseJAlertRelayBody } from '@bousai/feeds';
import { FeedDocumentRepository, isDataException, type RawFeedDocument } from '@bousai/persistence';
import { FEED_MESSAGE_SINK, type FeedMessageSink, type IntakeMessage } from './feed-message.sink';
import { IngestMetrics } from './ingest.metrics';

/** How the bytes are to be read: JMA XML (or CAP), or the relay's 国民保護 JSON message. */
export type DocumentFormat = 'xml' | 'jalert-json';

export interface IntakeCommand extends RawFeedDocument {
  format: DocumentFormat;
}

/** A document ingest refuses to act on although it is well-formed. */
export const UNEXPECTED_ATOM_FEED = 'UNEXPECTED_ATOM_FEED';
/** A parsed message with values Postgres refuses: handing it on again would fail the same way. */
export const MESSAGE_UNSTORABLE = 'MESSAGE_UNSTORABLE';

export type IntakeResult =
  | { outcome: 'parsed'; documentId: string; kind: string }
  | {
      outcome: 'failed';
      documentId: string;
      code: string;
      message: string;
      details?: Record<string, unknown>;
    }
  | { outcome: 'duplicate'; documentId: string; parseStatus: ParseStatus };

type ParseOutcome =
  | { ok: true; message: IntakeMessage }
  | { ok: false; code: string; message: string; details?: Record<string, unknown> };

/**
 * The one way a document enters the system, for the poller and the relay alike: store the raw bytes first (so
 * nothing accepted is lost, whatever happens next), then parse, then record the typed parse error or hand the
 * message to the sink. A second copy of stored bytes is a no-op that says `duplicate` — unless the first copy's
 * outcome was never recorded, in which case it is processed now.
 */
@Injectable()
export class DocumentIntakeUseCase {
  private readonly logger = new Logger(DocumentIntakeUseCase.name);

  constructor(
    private readonly documents: FeedDocumentRepository,
    @Inject(FEED_MESSAGE_SINK) private readonly sink: FeedMessageSink,
    private readonly metrics: IngestMetrics,
    @Inject(APP_CONFIG) private readonly config: IngestConfig,
  ) {}

  async execute(cmd: IntakeCommand): Promise<IntakeResult> {
    const stored = await this.documents.storeRaw(cmd);
    if (stored.duplicate && stored.parseStatus !== ParseStatus.Pending) {
      this.metrics.documents.inc({ source: cmd.source, outcome: 'duplicate' });
      return { outcome: 'duplicate', documentId: stored.documentId, parseStatus: stored.parseStatus };
    }
    const result = await this.process(stored.documentId, cmd.source, cmd.format, cmd.body, cmd.url);
    if (stored.duplicate) {
      const parseStatus = result.outcome === 'parsed' ? ParseStatus.Parsed : ParseStatus.Failed;
      return { outcome: 'duplicate', documentId: stored.documentId, parseStatus };
    }
    return result;
  }

  /** Parses a stored document again (one left `pending`); the same steps as a first arrival. */
  async reprocess(documentId: string): Promise<IntakeResult | null> {
    const doc = await this.documents.findById(documentId);
    if (!doc || doc.parseStatus !== ParseStatus.Pending) return null;
    const format: DocumentFormat = doc.contentType?.includes('json') ? 'jalert-json' : 'xml';
    return this.process(doc.id, doc.source, format, doc.body, doc.url);
  }

  private async process(
    documentId: string,
    source: FeedSource,
    format: DocumentFormat,
    body: Uint8Array,
    url: string | null | undefined,
  ): Promise<IntakeResult> {
    let parsed = this.parse(format, body, url);
    if (parsed.ok) {
      try {
        await this.sink.accept(documentId, parsed.message);
      } catch (err) {
        // anything else (Postgres or Redis away) stays pending for a retry; this never gets through
        if (!isDataException(err)) throw err;
        parsed = {
          ok: false,
          code: MESSAGE_UNSTORABLE,
          message: `the parsed message holds a value the database refuses: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    }
    if (!parsed.ok) {
      await this.documents.recordFailed(documentId, parsed.code, parsed.message);
      this.metrics.documents.inc({ source, outcome: 'failed' });
      this.metrics.parseErrors.inc({ source, code: parsed.code });
      this.logger.warn({ documentId, source, code: parsed.code }, 'document stored but not parsed');
      return {
        outcome: 'failed',
        documentId,
        code: parsed.code,
        message: parsed.message,
        details: parsed.details,
      };
    }
    this.metrics.documents.inc({ source, outcome: 'parsed' });
    this.logger.log({ documentId, source, kind: parsed.message.kind }, 'document parsed');
    return { outcome: 'parsed', documentId, kind: parsed.message.kind };
  }

  /** `url` (the telegram's, from the feed entry) names a JMA telegram's data type (`…_VXKO70_…`). */
  private parse(format: DocumentFormat, body: Uint8Array, url: string | null | undefined): ParseOutcome {
    const maxBytes = this.config.FEED_MAX_BYTES;
    try {
      if (format === 'jalert-json') return { ok: true, message: parseJAlertRelayBody(body, { maxBytes }) };
      const message = parseFeedDocument(body, { maxBytes, name: url });
      if (message.format === 'atom') {
        // a feed is an index of documents, never a document to act on
        return {
          ok: false,
          code: UNEXPECTED_ATOM_FEED,
          message: 'an Atom feed was sent where a document was expected',
        };
      }
      return { ok: true, message };
    } catch (err) {
      if (err instanceof FeedParseError || err instanceof JAlertMessageError) {
        return { ok: false, code: err.code, message: err.message, details: err.details };
      }
      throw err;
    }
  }
}
