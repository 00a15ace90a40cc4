import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FeedSource, ParseStatus } from '@bousai/domain';

/** A raw document as it arrived, before anything reads it. */
export interface RawFeedDocument {
  source: FeedSource;
  body: Uint8Array;
  url?: string | null;
  contentType?: string | null;
  /** JMA PULL only: the feed that listed it and its Atom entry. */
  feedName?: string | null;
  entryId?: string | null;
  entryUpdatedAt?: Date | null;
  /** Relay only: the municipality whose relay key signed it (null: a national feed or the installation key). */
  municipalityId?: string | null;
}

/** `stored`: a new row; `duplicate`: the same bytes (or the same feed entry) were stored before, nothing written. */
export interface StoreRawResult {
  documentId: string;
  sha256: string;
  duplicate: boolean;
  /** The parse status of the row that answers (the earlier one when duplicate). */
  parseStatus: ParseStatus;
}

/** The operator's view of one stored document. */
export interface FeedDocumentView {
  id: string;
  source: FeedSource;
  sha256: string;
  url: string | null;
  contentType: string | null;
  feedName: string | null;
  entryId: string | null;
  entryUpdatedAt: Date | null;
  receivedAt: Date;
  parseStatus: ParseStatus;
  parseErrorCode: string | null;
  parseError: string | null;
  parsedAt: Date | null;
  kind: string | null;
  message: unknown;
  /** The raw bytes, exactly as received. */
  body: Buffer;
}

const MAX_ERROR_CHARS = 2_000;

export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Text when the bytes are valid UTF-8 without NUL (Postgres text cannot hold NUL), otherwise base64: lossless. */
function encodeBody(body: Uint8Array): { body: string; encoding: 'utf8' | 'base64' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    if (!text.includes('\u0000')) return { body: text, encoding: 'utf8' };
  } catch {
    // not UTF-8: stored as base64 below
  }
  return { body: Buffer.from(body).toString('base64'), encoding: 'base64' };
}

/**
 * `feed_document`: every raw document ingest accepts, written before it is parsed so nothing accepted is lost.
 * A row starts `pending`; the parse outcome (`parsed` with kind and message, or `failed` with the parser's code)
 * is recorded on it afterwards. The row is idempotent on the bytes' SHA-256 and, for JMA PULL, on the entry id.
 */
@Injectable()
export class FeedDocumentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the raw bytes; a second copy (same SHA-256, or same source + entry id) writes nothing. */
  async storeRaw(doc: RawFeedDocument): Promise<StoreRawResult> {
    const sha256 = sha256Hex(doc.body);
    const { body, encoding } = encodeBody(doc.body);
    const inserted = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO feed_document
         (source, sha256, url, content_type, body, body_encoding, feed_name, entry_id, entry_updated_at,
          municipality_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT DO NOTHING
       RETURNING id::text AS id`,
      [
        doc.source,
        sha256,
        doc.url ?? null,
        doc.contentType ?? null,
        body,
        encoding,
        doc.feedName ?? null,
        doc.entryId ?? null,
        doc.entryUpdatedAt ?? null,
        doc.municipalityId ?? null,
      ],
    );
    if (inserted.length === 1) {
      return { documentId: inserted[0].id, sha256, duplicate: false, parseStatus: ParseStatus.Pending };
    }
    const [earlier] = await this.dataSource.query<{ id: string; parseStatus: ParseStatus }[]>(
      `SELECT id::text AS id, parse_status AS "parseStatus"
         FROM feed_document
        WHERE sha256 = $1 OR (source = $2 AND entry_id = $3)
        ORDER BY (sha256 = $1) DESC
        LIMIT 1`,
      [sha256, doc.source, doc.entryId ?? null],
    );
    if (!earlier)
      throw new Error(`feed_document insert for ${sha256} conflicted, but no earlier row was found`);
    return { documentId: earlier.id, sha256, duplicate: true, parseStatus: earlier.parseStatus };
  }

  /** Records a successful parse: the message's kind and the normalised message itself. */
  async recordParsed(documentId: string, kind: string | null, message: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE feed_document
          SET parse_status = $2, kind = $3, message = $4::jsonb, parsed_at = now(),
              parse_error_code = NULL, parse_error = NULL
        WHERE id = $1`,
      [documentId, ParseStatus.Parsed, kind, JSON.stringify(message)],
    );
  }

  /** Records the parser's typed refusal; the raw document stays for operators to look at. */
  async recordFailed(documentId: string, code: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE feed_document
          SET parse_status = $2, parse_error_code = $3, parse_error = $4, parsed_at = now()
        WHERE id = $1`,
      [documentId, ParseStatus.Failed, code, error.slice(0, MAX_ERROR_CHARS)],
    );
  }

  /** Which of these entry ids are already stored for `source`: those are never fetched again. */
  async knownEntryIds(source: FeedSource, entryIds: readonly string[]): Promise<Set<string>> {
    if (entryIds.length === 0) return new Set();
    const rows = await this.dataSource.query<{ entryId: string }[]>(
      `SELECT entry_id AS "entryId" FROM feed_document WHERE source = $1 AND entry_id = ANY($2::text[])`,
      [source, entryIds],
    );
    return new Set(rows.map((r) => r.entryId));
  }

  /** The `updated` of the newest entry stored from this feed, or null when none was ever stored. */
  async newestEntryUpdatedAt(feedName: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ newest: Date | null }[]>(
      `SELECT max(entry_updated_at) AS newest FROM feed_document WHERE feed_name = $1`,
      [feedName],
    );
    return row?.newest ?? null;
  }

  /** Documents still `pending` (their parse outcome was never recorded, e.g. the process died in between). */
  async pendingIds(limit: number, olderThanSeconds = 0): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM feed_document
        WHERE parse_status = $1 AND received_at <= now() - make_interval(secs => $3)
        ORDER BY received_at LIMIT $2`,
      [ParseStatus.Pending, limit, olderThanSeconds],
    );
    return rows.map((r) => r.id);
  }

  async findById(documentId: string): Promise<FeedDocumentView | null> {
    const [row] = await this.dataSource.query<
      (Omit<FeedDocumentView, 'body'> & { body: string; bodyEncoding: 'utf8' | 'base64' })[]
    >(
      `SELECT id::text AS id, source, sha256, url, content_type AS "contentType", feed_name AS "feedName",
              entry_id AS "entryId", entry_updated_at AS "entryUpdatedAt", received_at AS "receivedAt",
              parse_status AS "parseStatus", parse_error_code AS "parseErrorCode", parse_error AS "parseError",
              parsed_at AS "parsedAt", kind, message, body, body_encoding AS "bodyEncoding"
         FROM feed_document WHERE id = $1`,
      [documentId],
    );
    if (!row) return null;
    const { bodyEncoding, body, ...rest } = row;
    return { ...rest, body: Buffer.from(body, bodyEncoding === 'base64' ? 'base64' : 'utf8') };
  }

  /** The id of the municipality with this 全国地方公共団体コード, for a relay that signs as it. */
  async municipalityIdByCode(code: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id::text AS id FROM municipality WHERE code = $1`,
      [code],
    );
    return row?.id ?? null;
  }

  /**
   * The newest documents that failed to parse, as one municipality's operators may see them: the national feeds'
   * (JMA PULL, the same for everyone) and the relay documents its own relay key signed. A relay document signed
   * with the installation-wide key speaks for no municipality in particular: it is shown only where the
   * installation serves a single municipality (then that key is its key), so nothing failed goes unseen there and
   * nothing leaks between municipalities elsewhere.
   */
  async recentFailures(
    limit: number,
    municipalityId: string,
  ): Promise<Omit<FeedDocumentView, 'body' | 'message'>[]> {
    return this.recent(limit, municipalityId, ParseStatus.Failed);
  }

  /** The newest documents one municipality's operators may see (as `recentFailures`), whatever their state. */
  async recent(
    limit: number,
    municipalityId: string,
    status?: ParseStatus,
  ): Promise<Omit<FeedDocumentView, 'body' | 'message'>[]> {
    return this.dataSource.query<Omit<FeedDocumentView, 'body' | 'message'>[]>(
      `SELECT id::text AS id, source, sha256, url, content_type AS "contentType", feed_name AS "feedName",
              entry_id AS "entryId", entry_updated_at AS "entryUpdatedAt", received_at AS "receivedAt",
              parse_status AS "parseStatus", parse_error_code AS "parseErrorCode", parse_error AS "parseError",
              parsed_at AS "parsedAt", kind
         FROM feed_document
        WHERE ($1::text IS NULL OR parse_status = $1)
          AND (municipality_id = $3
               OR (municipality_id IS NULL
                   AND (source = $4 OR (SELECT count(*) FROM municipality) = 1)))
        ORDER BY received_at DESC LIMIT $2`,
      [status ?? null, limit, municipalityId, FeedSource.JmaPull],
    );
  }
}
