import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { Agent } from 'undici';
import { Http2RequestError, Http2SessionPool } from '../fcm/http2-session.pool';

export interface PushAgentsOptions {
  /** Keep-alive connections per push-service origin; requests beyond wait in the agent's queue. */
  maxSockets: number;
  requestTimeoutMs: number;
  /** Accept a self-signed certificate (local fakes only). */
  tlsInsecure?: boolean;
  /**
   * Offer HTTP/2 (ALPN) to https origins and use it where the push service takes it; those that answer only
   * HTTP/1.1 keep the keep-alive connections above. Off: HTTP/1.1 everywhere.
   */
  http2?: { sessions: number; maxStreams: number };
  /**
   * Resolves the push service's name for every connection opened (`PushEgressGuard.lookup`, which refuses
   * internal addresses); the system resolver when absent.
   */
  lookup?: LookupFunction;
}

/** How one origin is spoken to, decided once per process by what its TLS handshake selects. */
type OriginRoute = { kind: 'h1' } | { kind: 'h2'; pool: Http2SessionPool };

export interface PushResponse {
  status: number;
  headers: IncomingHttpHeaders;
}

/** No response: refused, reset, TLS failure, timeout, closed. Safe to retry (a push is idempotent by topic). */
export class PushRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PushRequestError';
  }
}

/**
 * Connections per push-service origin (FCM web, Mozilla autopush, Apple, Windows), long-lived, so a batch reuses
 * warm TLS connections instead of paying a handshake per message as web-push's `sendNotification` does.
 *
 * Where the push service negotiates HTTP/2 (ALPN `h2`; FCM, autopush and Apple do), its pushes go as streams over
 * a few sessions (node:http2, the pool the FCM sender uses): the frames of many pushes leave in one TLS write
 * instead of one write per push, which costs less CPU per push at both ends than many HTTP/1.1 connections
 * (docs/performance.md). An origin that selects only HTTP/1.1 is sent to over undici's keep-alive HTTP/1.1 agent,
 * cheaper per request than node:https. The choice is made by one TLS handshake offering both, the first time an origin
 * is used, and kept for the life of the process (that connection then carries the first HTTP/2 session, so asking
 * costs no extra round trip); a handshake that fails is tried again on the next push.
 */
export class PushAgents {
  private readonly agent: Agent;
  private readonly routes = new Map<string, Promise<OriginRoute>>();
  private readonly pools: Http2SessionPool[] = [];
  private closed = false;

  constructor(private readonly options: PushAgentsOptions) {
    this.agent = new Agent({
      connections: options.maxSockets,
      allowH2: false,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      connectTimeout: options.requestTimeoutMs,
      connect: {
        ...(options.tlsInsecure ? { rejectUnauthorized: false } : {}),
        ...(options.lookup ? { lookup: options.lookup } : {}),
      },
    });
  }

  async post(endpoint: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<PushResponse> {
    if (this.closed) throw new PushRequestError('CLOSED', 'the push sender is closed');
    const route = await this.routeFor(endpoint);
    return route.kind === 'h2'
      ? this.postH2(route.pool, endpoint, headers, body)
      : this.postH1(endpoint, headers, body);
  }

  private async postH1(endpoint: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<PushResponse> {
    try {
      const res = await this.agent.request({
        origin: endpoint.origin,
        path: `${endpoint.pathname}${endpoint.search}`,
        method: 'POST',
        headers: headers as Record<string, string>,
        body,
      });
      // the body of an answer carries nothing we act on; drain it so the connection returns to the pool
      await res.body.dump();
      return { status: res.statusCode, headers: res.headers };
    } catch (err) {
      throw new PushRequestError(codeOf(err), err instanceof Error ? err.message : String(err));
    }
  }

  private async postH2(
    pool: Http2SessionPool,
    endpoint: URL,
    headers: OutgoingHttpHeaders,
    body: Buffer,
  ): Promise<PushResponse> {
    try {
      const res = await pool.request(
        {
          ':method': 'POST',
          ':path': `${endpoint.pathname}${endpoint.search}`,
          'content-length': body.length,
          ...headers,
        },
        body,
      );
      return { status: res.status, headers: res.headers };
    } catch (err) {
      if (err instanceof Http2RequestError) throw new PushRequestError(err.code, err.message);
      throw new PushRequestError('CONNECTION_ERROR', err instanceof Error ? err.message : String(err));
    }
  }

  private routeFor(endpoint: URL): Promise<OriginRoute> {
    const origin = endpoint.origin;
    let route = this.routes.get(origin);
    if (!route) {
      route =
        this.options.http2 && endpoint.protocol === 'https:'
          ? this.negotiate(endpoint).then(({ protocol, socket }) => this.routeTo(origin, protocol, socket))
          : Promise.resolve({ kind: 'h1' } as const);
      // a handshake that failed decides nothing: the next push to the origin tries again
      route.catch(() => this.routes.delete(origin));
      this.routes.set(origin, route);
    }
    return route;
  }

  private routeTo(origin: string, protocol: string | false, socket: TLSSocket): OriginRoute {
    if (protocol !== 'h2' || !this.options.http2 || this.closed) {
      socket.end();
      return { kind: 'h1' };
    }
    const pool = new Http2SessionPool({
      baseUrl: origin,
      // the handshake that asked becomes the first session: no second TCP and TLS round trip before the first push
      firstSocket: socket,
      sessions: this.options.http2.sessions,
      maxStreams: this.options.http2.maxStreams,
      requestTimeoutMs: this.options.requestTimeoutMs,
      ...(this.options.tlsInsecure ? { tlsInsecure: true } : {}),
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    });
    this.pools.push(pool);
    return { kind: 'h2', pool };
  }

  /** One TLS handshake offering h2 and http/1.1: what the push service selects (false: it took no ALPN). */
  private negotiate(endpoint: URL): Promise<{ protocol: string | false; socket: TLSSocket }> {
    return new Promise((resolve, reject) => {
      const host = endpoint.hostname.replace(/^\[|\]$/g, '');
      const socket = connectTls({
        host,
        port: Number(endpoint.port || 443),
        ...(isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['h2', 'http/1.1'],
        rejectUnauthorized: !this.options.tlsInsecure,
        ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new PushRequestError(
            'TIMEOUT',
            `no TLS handshake with ${endpoint.origin} within ${this.options.requestTimeoutMs} ms`,
          ),
        );
      }, this.options.requestTimeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve({ protocol: socket.alpnProtocol ?? false, socket });
      });
      socket.once('error', (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new PushRequestError(codeOf(err), err.message));
      });
    });
  }

  /** Stops: requests in flight fail with a connection error and are retried by the caller's batch. */
  close(): void {
    this.closed = true;
    void this.agent.destroy().catch(() => undefined);
    for (const pool of this.pools.splice(0)) void pool.close().catch(() => undefined);
  }
}

/** A timeout of any phase is `TIMEOUT`; a socket error keeps its errno code (`ECONNREFUSED`, `ECONNRESET`…). */
function codeOf(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  if (typeof code !== 'string') return 'CONNECTION_ERROR';
  if (/^UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT$/.test(code)) return 'TIMEOUT';
  return code;
}
