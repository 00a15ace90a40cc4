import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { APP_CONFIG, type IngestConfig } from '@bousai/config';
import { Public } from '@bousai/observability';
import { type RelayResult, JAlertRelayUseCase, RelayErrorCode } from './jalert-relay.use-case';
import { MUNICIPALITY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './relay-signature';

/** The part of the response this controller touches; keeps it free of Express types. */
interface StatusResponse {
  status(code: number): unknown;
}

type Body =
  | { status: 'accepted'; documentId: string; kind: string }
  | { status: 'duplicate'; documentId: string; parseStatus: string }
  | { error: { code: string; message: string; details: Record<string, unknown> | null } };

const REFUSAL_STATUS: Record<RelayErrorCode, number> = {
  [RelayErrorCode.RelayDisabled]: 503,
  [RelayErrorCode.SignatureMissing]: 401,
  [RelayErrorCode.SignatureInvalid]: 401,
  [RelayErrorCode.TimestampInvalid]: 401,
  [RelayErrorCode.TimestampStale]: 401,
  [RelayErrorCode.SignatureReplayed]: 401,
  [RelayErrorCode.MunicipalityInvalid]: 401,
  [RelayErrorCode.UnsupportedMediaType]: 415,
  [RelayErrorCode.PayloadTooLarge]: 413,
  [RelayErrorCode.Unavailable]: 503,
};

/** Reads the raw body (the signature covers its exact bytes); beyond the cap, bytes are drained, not kept. */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  if (req.readableEnded) {
    // a body parser got here first and the exact bytes are gone: the app was not made by createIngestApp
    throw new Error('the request body was already consumed; create the ingest app with createIngestApp()');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.byteLength;
    if (size <= maxBytes) chunks.push(buf);
  }
  return size > maxBytes ? null : Buffer.concat(chunks);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * `POST /v1/jalert`: a municipality's J-ALERT receiver integration relays a JMA XML document or a 国民保護
 * message (docs/jalert-relay.md). Authenticated by the HMAC signature, not by an operator token.
 */
@Controller('v1/jalert')
export class JAlertRelayController {
  constructor(
    private readonly relay: JAlertRelayUseCase,
    @Inject(APP_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post()
  @Public()
  @HttpCode(202)
  async receive(@Req() req: IncomingMessage, @Res({ passthrough: true }) res: StatusResponse): Promise<Body> {
    const body = await readBody(req, this.config.FEED_MAX_BYTES);
    const result: RelayResult =
      body === null
        ? {
            kind: 'refused',
            code: RelayErrorCode.PayloadTooLarge,
            message: `the body is over ${this.config.FEED_MAX_BYTES} bytes`,
          }
        : await this.relay.execute({
            timestamp: header(req, TIMESTAMP_HEADER),
            signature: header(req, SIGNATURE_HEADER),
            municipality: header(req, MUNICIPALITY_HEADER),
            contentType: header(req, 'content-type'),
            body,
          });
    if (result.kind === 'refused') {
      res.status(REFUSAL_STATUS[result.code]);
      return { error: { code: result.code, message: result.message, details: null } };
    }
    const r = result.result;
    switch (r.outcome) {
      case 'parsed':
        return { status: 'accepted', documentId: r.documentId, kind: r.kind };
      case 'duplicate':
        res.status(200);
        return { status: 'duplicate', documentId: r.documentId, parseStatus: r.parseStatus };
      case 'failed':
        // stored, so nothing is lost, but the sender must know it was not understood
        res.status(400);
        return {
          error: { code: r.code, message: r.message, details: { documentId: r.documentId, ...r.details } },
        };
    }
  }
}
