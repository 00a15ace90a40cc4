import type { LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  connect,
  constants,
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type Settings,
} from 'node:http2';

export interface Http2SessionPoolOptions {
  /** Origin to connect to: `https://` negotiates h2 over TLS (ALPN), `http://` speaks h2c with prior knowledge. */
  baseUrl: string;
  /** Long-lived sessions to keep; requests are spread across them. */
  sessions: number;
  /** Concurrent streams per session; lowered further when the peer's SETTINGS say so. */
  maxStreams: number;
  /** Default per-request timeout. */
  requestTimeoutMs?: number;
  /** Accept a self-signed certificate (local fakes only). */
  tlsInsecure?: boolean;
  /**
   * A connection to the origin whose TLS handshake already selected `h2` (a caller that asked by ALPN): the first
   * session is made on it instead of dialling again. Dropped if it closed before the first request.
   */
  firstSocket?: Duplex;
  /** Resolves the origin's name for each session (a guard that refuses some addresses); the system's when absent. */
  lookup?: LookupFunction;
}

export interface Http2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The request never got a response: connection refused or lost, GOAWAY, stream reset, timeout, pool closed. */
export class Http2RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** RFC 9113 §8.7: the server provably did not process it (REFUSED_STREAM, or never sent), so resending is safe. */
    readonly unprocessed = false,
  ) {
    super(message);
    this.name = 'Http2RequestError';
  }
}

/** Resends of a request the server refused unprocessed (GOAWAY races), each on whichever session is free. */
const UNPROCESSED_RESENDS = 2;

export interface Http2SessionPoolStats {
  /** Sessions opened since the pool started (reconnects included). */
  sessionsOpened: number;
  /** Sessions open right now. */
  sessionsOpen: number;
  /** Requests in flight. */
  active: number;
  /** Requests waiting for a free stream. */
  waiting: number;
}

interface Slot {
  session?: ClientHttp2Session;
  /** Streams in flight on this slot (on its current session, or on one it is draining after a GOAWAY). */
  active: number;
  /** min(maxStreams, the peer's SETTINGS_MAX_CONCURRENT_STREAMS). */
  limit: number;
  /** The session whose SETTINGS have arrived (the current one once it is fully usable). */
  settled?: ClientHttp2Session;
}

/**
 * A fixed set of long-lived HTTP/2 sessions to one origin. firebase-admin's `sendEach` opens a new session
 * (TCP + TLS + h2 handshake) per call and closes it after; here sessions live as long as the process, each carries
 * up to `maxStreams` concurrent requests, and a session that gets GOAWAY, an error or a close is replaced on the
 * next request. Requests beyond sessions × streams wait in FIFO order for the next free stream.
 */
export class Http2SessionPool {
  private readonly slots: Slot[];
  private readonly waiters: ((slot: Slot | undefined) => void)[] = [];
  private readonly origin: string;
  private cursor = 0;
  private opened = 0;
  private closed = false;
  private firstSocket: Duplex | undefined;

  constructor(private readonly options: Http2SessionPoolOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new RangeError(`not an http(s) URL: ${url.href}`);
    this.origin = url.origin;
    this.firstSocket = options.firstSocket;
    this.slots = Array.from({ length: Math.max(1, options.sessions) }, () => ({
      active: 0,
      limit: Math.max(1, options.maxStreams),
    }));
  }

  /** One request on a pooled session. Rejects only with `Http2RequestError` (no response); any status resolves. */
  async request(
    headers: OutgoingHttpHeaders,
    body?: string | Buffer,
    timeoutMs = this.options.requestTimeoutMs ?? 10_000,
  ): Promise<Http2Response> {
    for (let attempt = 0; ; attempt++) {
      const slot = this.acquireNow() ?? (await this.acquireLater());
      try {
        return await this.send(slot, headers, body, timeoutMs);
      } catch (err) {
        // a session going away (GOAWAY, server restart) refuses what it had not started: not a failure of
        // the request, and the server's own word that nothing was processed, so no duplicate can result
        if (!(err instanceof Http2RequestError && err.unprocessed && attempt < UNPROCESSED_RESENDS))
          throw err;
      } finally {
        this.release(slot);
      }
    }
  }

  /**
   * Opens every session that is not open and waits (up to `timeoutMs`) for the peer's SETTINGS, so the next
   * request finds connected sessions at full stream width instead of paying the handshake and a one-stream first
   * round trip. Resolves to the number of sessions ready; never rejects (a session that fails is retried on the
   * next request as usual).
   */
  async warm(timeoutMs = 5_000): Promise<number> {
    if (this.closed) return 0;
    const ready = await Promise.all(
      this.slots.map(async (slot) => {
        let session: ClientHttp2Session;
        try {
          session = this.sessionFor(slot);
        } catch {
          return false;
        }
        if (slot.settled === session) return true;
        return new Promise<boolean>((resolve) => {
          const done = (ok: boolean) => {
            clearTimeout(timer);
            session.off('remoteSettings', onSettings);
            session.off('close', onGone);
            session.off('error', onGone);
            resolve(ok);
          };
          const onSettings = () => done(true);
          const onGone = () => done(false);
          const timer = setTimeout(() => done(false), timeoutMs);
          timer.unref();
          session.once('remoteSettings', onSettings);
          session.once('close', onGone);
          session.once('error', onGone);
        });
      }),
    );
    return ready.filter(Boolean).length;
  }

  /** Sessions the pool keeps. */
  get size(): number {
    return this.slots.length;
  }

  stats(): Http2SessionPoolStats {
    return {
      sessionsOpened: this.opened,
      sessionsOpen: this.slots.filter((s) => s.session && !s.session.closed && !s.session.destroyed).length,
      active: this.slots.reduce((n, s) => n + s.active, 0),
      waiting: this.waiters.length,
    };
  }

  /** Stops taking requests, lets the ones in flight finish, and closes every session. */
  async close(): Promise<void> {
    this.closed = true;
    this.firstSocket?.destroy();
    this.firstSocket = undefined;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    await Promise.all(
      this.slots.map(async (slot) => {
        const session = slot.session;
        slot.session = undefined;
        if (!session || session.destroyed) return;
        await new Promise<void>((resolve) => {
          session.once('close', () => resolve());
          session.close();
        });
      }),
    );
  }

  private acquireNow(): Slot | undefined {
    if (this.closed) throw new Http2RequestError('POOL_CLOSED', 'the HTTP/2 pool is closed');
    // least-loaded slot, scanning from a rotating start so equal loads spread evenly
    let best: Slot | undefined;
    const n = this.slots.length;
    for (let i = 0; i < n; i++) {
      const slot = this.slots[(this.cursor + i) % n];
      if (slot.active < slot.limit && (!best || slot.active < best.active)) best = slot;
    }
    this.cursor = (this.cursor + 1) % n;
    if (best) this.take(best);
    return best;
  }

  private acquireLater(): Promise<Slot> {
    return new Promise((resolve, reject) => {
      this.waiters.push((slot) =>
        slot
          ? resolve(slot)
          : reject(new Http2RequestError('POOL_CLOSED', 'the HTTP/2 pool closed while waiting')),
      );
    });
  }

  private take(slot: Slot): void {
    if (slot.active++ === 0) slot.session?.ref();
  }

  private release(slot: Slot): void {
    // hand the stream straight to the oldest waiter, so nobody overtakes it in between
    if (this.waiters.length > 0 && slot.active <= slot.limit && !this.closed) {
      this.waiters.shift()!(slot);
      return;
    }
    if (--slot.active === 0) slot.session?.unref();
  }

  private sessionFor(slot: Slot): ClientHttp2Session {
    const current = slot.session;
    if (current && !current.closed && !current.destroyed) return current;
    const adopted = this.firstSocket;
    this.firstSocket = undefined;
    const usable = adopted && !adopted.destroyed && adopted.writable && adopted.readable;
    if (adopted && !usable) adopted.destroy();
    const session = connect(this.origin, {
      peerMaxConcurrentStreams: this.options.maxStreams,
      ...(this.options.tlsInsecure ? { rejectUnauthorized: false } : {}),
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
      ...(usable ? { createConnection: () => adopted } : {}),
    });
    this.opened++;
    slot.session = session;
    const detach = () => {
      if (slot.session === session) slot.session = undefined;
    };
    // Until the peer's SETTINGS arrive a session carries one stream: a server announcing fewer than we assume
    // would refuse the excess (REFUSED_STREAM). It costs one round trip per session lifetime.
    slot.limit = 1;
    session.on('remoteSettings', (settings: Settings) => {
      if (slot.session !== session) return;
      slot.settled = session;
      slot.limit = Math.max(1, Math.min(this.options.maxStreams, settings.maxConcurrentStreams ?? Infinity));
      while (this.waiters.length > 0 && slot.active < slot.limit && !this.closed) {
        this.take(slot);
        this.waiters.shift()!(slot);
      }
    });
    // after GOAWAY no new stream may start on this session; the ones already accepted still complete
    session.on('goaway', detach);
    session.on('close', detach);
    // streams on the session fail with it; the request promises carry the error, nothing to rethrow here
    session.on('error', detach);
    session.on('frameError', detach);
    if (slot.active === 0) session.unref();
    return session;
  }

  private send(
    slot: Slot,
    headers: OutgoingHttpHeaders,
    body: string | Buffer | undefined,
    timeoutMs: number,
  ): Promise<Http2Response> {
    return new Promise((resolve, reject) => {
      let stream: ReturnType<ClientHttp2Session['request']>;
      try {
        stream = this.sessionFor(slot).request(headers, { endStream: body === undefined });
      } catch (err) {
        // ERR_HTTP2_GOAWAY_SESSION / ERR_HTTP2_INVALID_SESSION: the session died between checks
        slot.session = undefined;
        reject(new Http2RequestError(codeOf(err), messageOf(err), true));
        return;
      }
      let status = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      let text = '';
      let settled = false;
      const fail = (code: string, message: string) => {
        if (settled) return;
        settled = true;
        const refused = stream.rstCode === constants.NGHTTP2_REFUSED_STREAM;
        reject(new Http2RequestError(refused ? 'REFUSED_STREAM' : code, message, refused));
      };
      stream.setEncoding('utf8');
      stream.setTimeout(timeoutMs, () => {
        fail('TIMEOUT', `no response within ${timeoutMs} ms`);
        stream.close(constants.NGHTTP2_CANCEL);
      });
      stream.on('response', (h) => {
        status = Number(h[':status']);
        responseHeaders = h;
      });
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status, headers: responseHeaders, body: text });
      });
      stream.on('error', (err) => fail(codeOf(err), messageOf(err)));
      stream.on('close', () => {
        if (!settled)
          fail(status ? 'STREAM_CLOSED' : `RST_${stream.rstCode ?? 'UNKNOWN'}`, 'stream closed early');
      });
      if (body !== undefined) stream.end(body);
    });
  }
}

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  // a stream cancelled because its session failed carries the session's error (ECONNREFUSED, a refused lookup)
  const code =
    e?.code === 'ERR_HTTP2_STREAM_CANCEL' && typeof e.cause?.code === 'string' ? e.cause.code : e?.code;
  return typeof code === 'string' ? code : 'CONNECTION_ERROR';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
