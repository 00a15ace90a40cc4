import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PushAgentsOptions {
  /** Keep-alive connections per push-service origin; requests beyond wait in the agent's queue. */
  maxSockets: number;
  requestTimeoutMs: number;
  /** Accept a self-signed certificate (local fakes only). */
  tlsInsecure?: boolean;
}

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
 * One keep-alive HTTP/1.1 agent per push-service origin (FCM web, Mozilla autopush, Apple, Windows): a batch
 * reuses warm TLS connections instead of paying a handshake per message as web-push's `sendNotification` does
 * with its default agent. Push services speak HTTP/1.1 and HTTP/2; HTTP/1.1 is what all of them accept.
 */
export class PushAgents {
  private readonly agents = new Map<string, HttpAgent | HttpsAgent>();
  private closed = false;

  constructor(private readonly options: PushAgentsOptions) {}

  post(endpoint: URL, headers: OutgoingHttpHeaders, body: Buffer): Promise<PushResponse> {
    if (this.closed) return Promise.reject(new PushRequestError('CLOSED', 'the push sender is closed'));
    const https = endpoint.protocol === 'https:';
    const agent = this.agentFor(endpoint.origin, https);
    const request = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        endpoint,
        { method: 'POST', agent, headers: { ...headers, 'content-length': body.length } },
        (res) => {
          // the body of an answer carries nothing we act on; drain it so the socket returns to the pool
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          res.on('error', (err) => reject(new PushRequestError(codeOf(err), err.message)));
        },
      );
      req.setTimeout(this.options.requestTimeoutMs, () =>
        req.destroy(new PushRequestError('TIMEOUT', `no answer within ${this.options.requestTimeoutMs} ms`)),
      );
      req.on('error', (err) =>
        reject(err instanceof PushRequestError ? err : new PushRequestError(codeOf(err), err.message)),
      );
      req.end(body);
    });
  }

  /** Connections opened per origin so far are the agent's business; this closes the idle ones and stops. */
  close(): void {
    this.closed = true;
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(origin: string, https: boolean): HttpAgent | HttpsAgent {
    let agent = this.agents.get(origin);
    if (!agent) {
      const common = { keepAlive: true, maxSockets: this.options.maxSockets, scheduling: 'lifo' as const };
      agent = https
        ? new HttpsAgent({ ...common, rejectUnauthorized: !this.options.tlsInsecure })
        : new HttpAgent(common);
      this.agents.set(origin, agent);
    }
    return agent;
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'CONNECTION_ERROR';
}
