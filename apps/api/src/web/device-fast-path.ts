import { IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_INPUT_DEPTH } from '@bousai/domain';
import { type MetricsService, requestId } from '@bousai/observability';
import type { ApiExceptionFilter } from '../errors/api-exception.filter';
import { jsonNestingDepth } from '../input/request-input';

/**
 * A device-facing JSON route served before express (docs/performance.md, "One ack per request"). The Nest
 * controller of the same method and path stays the documented contract (OpenAPI) and serves every request this
 * one passes on; both call the same services.
 */
export interface DeviceRoute<B> {
  /**
   * The route as Nest declares it, e.g. `/v1/acks/signed` or `/v1/resident/safety/:alertId` (the label of its
   * requests in `/metrics`). Without `params` it is the exact path served (a query string or a trailing slash goes
   * to express).
   */
  readonly path: string;
  /**
   * For a route with path parameters: the paths served, each parameter a capture group (in the order of the
   * route's). It must accept no more than the route's parameter pipes do; whatever it does not match goes to express.
   */
  readonly params?: RegExp;
  /** The status of a success (default 200), as the Nest route's `@HttpCode`. */
  readonly status?: number;
  /** Larger bodies go to express (which takes up to JSON_BODY_LIMIT). */
  readonly maxBytes: number;
  /** True only for a body the Nest route's pipes (input text, validation) would accept unchanged. */
  accepts(body: unknown): body is B;
  /** Does what the Nest route does and returns its answer; throws what it would throw. */
  serve(req: DeviceRequest, body: B, params: readonly string[]): Promise<unknown>;
}

/** A request served here: `id` as pino-http gives one to express's (also sent back in X-Request-Id). */
export interface DeviceRequest extends IncomingMessage {
  id: string;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Content types answered here (anything else, charsets included, is express's body parser's to judge). */
const PLAIN_JSON = new Set([
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=utf-8',
]);

/**
 * Serves the given POST routes on the api's own server before express: the request is read, parsed and checked
 * here, the route's services called, the answer written, and the request timed in `/metrics` under the same route
 * label. Only the usual, well-formed request is served so: anything else — another content type or encoding, no
 * or too large a Content-Length, JSON that does not parse or nests too deep, a body the route does not accept —
 * goes to express unchanged (its body replayed when it was already read), so every refusal is still answered by
 * the Nest route's body parser, guard and pipes, word for word. Failures of the route itself are answered by the
 * api's exception filter's rules (`ApiExceptionFilter.failure`).
 */
export class DeviceFastPath {
  private readonly routes = new Map<string, DeviceRoute<unknown>>();
  private readonly withParams: DeviceRoute<unknown>[] = [];
  private passOn: RequestListener[] = [];

  constructor(
    private readonly metrics: () => MetricsService,
    private readonly errors: ApiExceptionFilter,
  ) {}

  add<B>(route: DeviceRoute<B>): this {
    if (route.params) this.withParams.push(route);
    else this.routes.set(route.path, route);
    return this;
  }

  /** The route serving this request line, with its path parameters. */
  private match(req: IncomingMessage): { route: DeviceRoute<unknown>; params: string[] } | undefined {
    if (req.method !== 'POST') return undefined;
    const url = req.url ?? '';
    const exact = this.routes.get(url);
    if (exact) return { route: exact, params: [] };
    for (const route of this.withParams) {
      const found = route.params?.exec(url);
      if (found) return { route, params: found.slice(1) };
    }
    return undefined;
  }

  /** Goes in front of the server's request listeners (express); listeners added later (socket.io) wrap it. */
  install(server: Server): void {
    this.passOn = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.dispatch(req, res));
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const matched = this.match(req);
    const length = matched ? plainLength(req, matched.route.maxBytes) : -1;
    if (!matched || length < 0) {
      this.pass(req, res);
      return;
    }
    const { route, params } = matched;
    const end = this.metrics().httpRequestDuration.startTimer();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const body = parsed(raw);
      if (body === NOT_PLAIN || !route.accepts(body)) {
        this.pass(replay(req, raw), res);
        return;
      }
      const served = req as DeviceRequest;
      served.id = requestId(req, res);
      serveSafely(route, served, body, params).then(
        (answer) =>
          end({ method: 'POST', route: route.path, status: String(send(res, route.status ?? 200, answer)) }),
        (err: unknown) => {
          const {
            status,
            body: error,
            retryAfter,
          } = this.errors.failure(err, {
            id: served.id,
            method: 'POST',
            path: route.path,
            originalUrl: route.path,
            route: { path: route.path },
          });
          if (retryAfter) res.setHeader('Retry-After', retryAfter);
          end({ method: 'POST', route: route.path, status: String(send(res, status, error)) });
        },
      );
    });
  }

  private pass(req: IncomingMessage, res: ServerResponse): void {
    for (const listener of this.passOn) listener(req, res);
  }
}

/** The route's answer; a synchronous throw becomes a rejection, answered like any other failure. */
async function serveSafely<B>(
  route: DeviceRoute<B>,
  req: DeviceRequest,
  body: B,
  params: readonly string[],
): Promise<unknown> {
  return route.serve(req, body, params);
}

/** The Content-Length of a plain JSON body of at most `maxBytes`, or -1 for any other request. */
function plainLength(req: IncomingMessage, maxBytes: number): number {
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || !PLAIN_JSON.has(type.toLowerCase())) return -1;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return -1;
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= maxBytes ? length : -1;
}

const NOT_PLAIN = Symbol('not plain JSON');

/** The body as express's JSON parser would give it, or NOT_PLAIN when that parser would have a word to say. */
function parsed(raw: Buffer): unknown {
  // body-parser decodes with iconv-lite, which drops a byte order mark; JSON.parse would refuse it
  if (raw[0] !== 0x7b || jsonNestingDepth(raw) > MAX_INPUT_DEPTH) return NOT_PLAIN;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return NOT_PLAIN;
  }
}

/** A request express can read again: the same head, and the body already read from the socket. */
function replay(req: IncomingMessage, raw: Buffer): IncomingMessage {
  const again = new IncomingMessage(req.socket);
  again.method = req.method;
  again.url = req.url;
  again.httpVersion = req.httpVersion;
  again.httpVersionMajor = req.httpVersionMajor;
  again.httpVersionMinor = req.httpVersionMinor;
  again.headers = req.headers;
  again.rawHeaders = req.rawHeaders;
  again.push(raw);
  again.push(null);
  again.complete = true;
  return again;
}

/** Writes a JSON answer as express's `res.json` would (less its ETag); returns the status. */
function send(res: ServerResponse, status: number, answer: unknown): number {
  const text = JSON.stringify(answer);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
  return status;
}
