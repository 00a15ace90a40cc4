/** A fetch that did not give us a body: the reason is a metric label. */
export class JmaFetchError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type JmaFetchResult =
  | { status: 'not-modified' }
  | {
      status: 'ok';
      body: Buffer;
      contentType: string | null;
      lastModified: string | null;
      etag: string | null;
    };

export interface JmaFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Conditional request (RFC 9110 §13): the previous response's `Last-Modified` and `ETag`. */
  ifModifiedSince?: string | null;
  ifNoneMatch?: string | null;
}

const USER_AGENT = 'bousai-ingest/0.1 (JMA XML PULL client)';

/**
 * GETs a JMA feed or telegram with a timeout and a size cap (the body is read as a stream and abandoned once it
 * is over the cap). Anything but 200 and 304 is a `JmaFetchError`.
 */
export async function jmaFetch(url: string, options: JmaFetchOptions): Promise<JmaFetchResult> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/xml, text/xml' };
  if (options.ifModifiedSince) headers['if-modified-since'] = options.ifModifiedSince;
  if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (err) {
    throw asFetchError(err, url);
  }
  if (res.status === 304) {
    await res.body?.cancel();
    return { status: 'not-modified' };
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new JmaFetchError(`http_${res.status}`, `GET ${url} answered ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await res.body?.cancel();
    throw new JmaFetchError('too_large', `GET ${url}: ${declared} bytes, the cap is ${options.maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    if (res.body) {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > options.maxBytes) {
          await res.body.cancel().catch(() => undefined);
          throw new JmaFetchError('too_large', `GET ${url}: over the cap of ${options.maxBytes} bytes`);
        }
        chunks.push(Buffer.from(chunk));
      }
    }
  } catch (err) {
    throw asFetchError(err, url);
  }
  return {
    status: 'ok',
    body: Buffer.concat(chunks),
    contentType: res.headers.get('content-type'),
    lastModified: res.headers.get('last-modified'),
    etag: res.headers.get('etag'),
  };
}

function asFetchError(err: unknown, url: string): JmaFetchError {
  if (err instanceof JmaFetchError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError')
    return new JmaFetchError('timeout', `GET ${url} timed out`);
  const message = err instanceof Error ? err.message : String(err);
  return new JmaFetchError('network', `GET ${url} failed: ${message}`);
}
