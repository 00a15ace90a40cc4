import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { FeedSource } from '@bousai/domain';
import { FeedDocumentRepository } from '@bousai/persistence';
import {
  type DocumentFormat,
  DocumentIntakeUseCase,
  type IntakeResult,
} from '../intake/document-intake.use-case';
import { IngestMetrics } from '../intake/ingest.metrics';
import { municipalityRelayKey, parseTimestamp, signatureMatches } from './relay-signature';
import { RelayReplayCache } from './relay-replay.cache';

/** Why the relay refused a request before storing it (the caller's problem, or ours: `RELAY_*`/`UNAVAILABLE`). */
export enum RelayErrorCode {
  RelayDisabled = 'RELAY_DISABLED',
  SignatureMissing = 'SIGNATURE_MISSING',
  SignatureInvalid = 'SIGNATURE_INVALID',
  TimestampInvalid = 'TIMESTAMP_INVALID',
  TimestampStale = 'TIMESTAMP_STALE',
  SignatureReplayed = 'SIGNATURE_REPLAYED',
  MunicipalityInvalid = 'MUNICIPALITY_INVALID',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  Unavailable = 'UNAVAILABLE',
}

export interface RelayRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  /** `X-Bousai-Municipality`: the 全国地方公共団体コード whose relay key signed the request; unset: the installation key. */
  municipality: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}

export type RelayResult =
  { kind: 'refused'; code: RelayErrorCode; message: string } | { kind: 'intake'; result: IntakeResult };

/** `application/xml` / `text/xml` (and `+xml` types): JMA XML or CAP; `application/json`: a 国民保護 message. */
export function formatOf(contentType: string | undefined): DocumentFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return 'jalert-json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  return null;
}

/**
 * The J-ALERT relay (docs/jalert-relay.md): authenticates a municipality receiver integration's POST by
 * HMAC over timestamp and body, refuses stale timestamps and replayed signatures, then hands the body to intake
 * (stored raw, then parsed). A repeat of the same bytes is answered as a duplicate and changes nothing.
 */
@Injectable()
export class JAlertRelayUseCase {
  private readonly logger = new Logger(JAlertRelayUseCase.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: IngestConfig,
    private readonly replays: RelayReplayCache,
    private readonly documents: FeedDocumentRepository,
    private readonly intake: DocumentIntakeUseCase,
    private readonly metrics: IngestMetrics,
  ) {}

  async execute(req: RelayRequest, nowMs = Date.now()): Promise<RelayResult> {
    const result = await this.run(req, nowMs);
    const outcome = result.kind === 'refused' ? result.code : result.result.outcome;
    this.metrics.relayRequests.inc({ outcome });
    if (result.kind === 'refused') this.logger.warn({ code: result.code }, 'J-ALERT relay request refused');
    return result;
  }

  private async run(req: RelayRequest, nowMs: number): Promise<RelayResult> {
    const secret = this.config.JALERT_RELAY_SECRET;
    if (!secret)
      return refused(RelayErrorCode.RelayDisabled, 'the relay has no JALERT_RELAY_SECRET configured');
    if (!req.timestamp || !req.signature) {
      return refused(
        RelayErrorCode.SignatureMissing,
        'X-Bousai-Timestamp and X-Bousai-Signature are required',
      );
    }
    const code = req.municipality?.trim();
    if (code !== undefined && !/^\d{6}$/.test(code)) {
      return refused(
        RelayErrorCode.MunicipalityInvalid,
        'X-Bousai-Municipality must be a 6-digit 全国地方公共団体コード',
      );
    }
    const key = code === undefined ? secret : municipalityRelayKey(secret, code);
    if (!signatureMatches(key, req.timestamp, req.body, req.signature)) {
      return refused(RelayErrorCode.SignatureInvalid, 'the signature does not match the timestamp and body');
    }
    const ts = parseTimestamp(req.timestamp);
    if (ts === null)
      return refused(RelayErrorCode.TimestampInvalid, 'X-Bousai-Timestamp must be Unix seconds');
    const window = this.config.JALERT_REPLAY_WINDOW_SECONDS;
    if (Math.abs(nowMs / 1000 - ts) > window) {
      return refused(
        RelayErrorCode.TimestampStale,
        `the timestamp is more than ${window} s from the server clock`,
      );
    }
    const format = formatOf(req.contentType);
    if (format === null) {
      return refused(
        RelayErrorCode.UnsupportedMediaType,
        'send application/xml (JMA XML) or application/json (国民保護 message)',
      );
    }
    let first: boolean;
    try {
      first = await this.replays.firstUse(req.signature.trim().toLowerCase());
    } catch (err) {
      // fail closed: without the replay cache a captured request could be replayed
      this.logger.error({ err }, 'replay cache unavailable');
      return refused(
        RelayErrorCode.Unavailable,
        'the replay cache is unavailable; retry with a new timestamp',
      );
    }
    if (!first) {
      return refused(
        RelayErrorCode.SignatureReplayed,
        'this signature was already used; sign again with a new timestamp',
      );
    }
    let municipalityId: string | null = null;
    try {
      if (code !== undefined) municipalityId = await this.documents.municipalityIdByCode(code);
    } catch (err) {
      this.logger.error({ err }, 'J-ALERT relay municipality lookup failed');
      return refused(
        RelayErrorCode.Unavailable,
        'the relay cannot check its sender now; retry with a new timestamp',
      );
    }
    if (code !== undefined && municipalityId === null) {
      return refused(RelayErrorCode.MunicipalityInvalid, `no municipality ${code} is served here`);
    }
    try {
      const result = await this.intake.execute({
        source: FeedSource.JAlert,
        format,
        body: req.body,
        contentType: req.contentType ?? null,
        municipalityId,
      });
      return { kind: 'intake', result };
    } catch (err) {
      // Postgres away (nothing stored) or the sink failed (stored, still pending): either way a retry, signed
      // anew, stores it or hands the stored copy on, and never creates a second document
      this.logger.error({ err }, 'J-ALERT relay intake failed');
      return refused(
        RelayErrorCode.Unavailable,
        'the message could not be processed now; retry with a new timestamp',
      );
    }
  }
}

function refused(code: RelayErrorCode, message: string): RelayResult {
  return { kind: 'refused', code, message };
}
