import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, ErrorCode } from '@bousai/domain';
import { MetricsService } from '@bousai/observability';
import { ApiExceptionFilter } from '../errors/api-exception.filter';
import { DeviceFastPath } from './device-fast-path';

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the listener behind the fast path (express, in the api) received: the request line and the body it read. */
interface PassedOn {
  url: string;
  body: string;
}

const hasN = (body: unknown): body is { n: number } =>
  typeof body === 'object' && body !== null && typeof (body as { n?: unknown }).n === 'number';

describe('DeviceFastPath: device routes served before express', () => {
  let server: Server;
  let port: number;
  let passedOn: PassedOn[];
  let served: unknown[];
  const metrics = new MetricsService('api');

  beforeAll(async () => {
    server = createServer((req, res) => {
      // stands for express: reads the body from the request stream and answers 299
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        passedOn.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(299).end('express');
      });
    });
    new DeviceFastPath(() => metrics, new ApiExceptionFilter())
      .add({
        path: '/v1/echo',
        maxBytes: 64,
        accepts: hasN,
        serve: (_req, body) => {
          served.push(body);
          if (body.n === 404)
            return Promise.reject(new DomainError(ErrorCode.NotFound, 'delivery 404 is gone'));
          if (body.n === 500) return Promise.reject(new Error('the database said something private'));
          return Promise.resolve({ twice: body.n * 2 });
        },
      })
      .add({
        path: '/v1/things/:id',
        params: /^\/v1\/things\/([a-z0-9]+)$/,
        status: 201,
        maxBytes: 64,
        accepts: hasN,
        serve: (_req, body, [thing]) => Promise.resolve({ thing, n: body.n }),
      })
      .install(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    passedOn = [];
    served = [];
  });

  /** A JSON request with a Content-Length, unless `headers` names another (a header given as '' is left out). */
  function post(
    path: string,
    body: string,
    headers: Record<string, string> = {},
    method = 'POST',
  ): Promise<Answer> {
    const all: Record<string, string> = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    };
    for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers: all }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('answers a plain, accepted body itself, as JSON, and times it under the route', async () => {
    const res = await post('/v1/echo', '{"n":21}');
    expect([res.status, res.body, res.headers['content-type']]).toEqual([
      200,
      '{"twice":42}',
      'application/json; charset=utf-8',
    ]);
    expect(served).toEqual([{ n: 21 }]);
    expect(passedOn).toEqual([]);
    const timed = await metrics.httpRequestDuration.get();
    expect(timed.values).toContainEqual(
      expect.objectContaining({
        labels: { method: 'POST', route: '/v1/echo', status: '200' },
        metricName: 'http_request_duration_seconds_count',
      }),
    );
  });

  it('answers what the route throws by the exception filter: the domain code, and a 500 that tells nothing', async () => {
    const gone = await post('/v1/echo', '{"n":404}');
    expect([gone.status, JSON.parse(gone.body)]).toEqual([
      404,
      { error: { code: 'NOT_FOUND', message: 'delivery 404 is gone', details: null } },
    ]);
    const broken = await post('/v1/echo', '{"n":500}');
    // the reference is the request's id, sent back as express's answers send it
    const reference = String(broken.headers['x-request-id']);
    expect(reference).toMatch(/^[0-9a-f-]{36}$/);
    expect([broken.status, JSON.parse(broken.body)]).toEqual([
      500,
      {
        error: {
          code: 'INTERNAL',
          message: `Internal error; reference ${reference}`,
          details: { requestId: reference },
        },
      },
    ]);
    expect(passedOn).toEqual([]);
  });

  it("keeps a caller's request id and gives one to every request it serves", async () => {
    const given = await post('/v1/echo', '{"n":1}', { 'X-Request-Id': 'phone-42' });
    expect(given.headers['x-request-id']).toBe('phone-42');
    const own = await post('/v1/echo', '{"n":1}');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves a route with path parameters at the status it declares, and passes other paths on', async () => {
    const res = await post('/v1/things/abc123', '{"n":2}');
    expect([res.status, res.body]).toEqual([201, '{"thing":"abc123","n":2}']);
    const timed = await metrics.httpRequestDuration.get();
    expect(timed.values).toContainEqual(
      expect.objectContaining({
        labels: { method: 'POST', route: '/v1/things/:id', status: '201' },
        metricName: 'http_request_duration_seconds_count',
      }),
    );
    for (const path of ['/v1/things/ABC', '/v1/things/abc/more', '/v1/things/abc?x=1', '/v1/things/']) {
      expect((await post(path, '{"n":2}')).status).toBe(299);
    }
    expect(passedOn.map((p) => p.url)).toEqual([
      '/v1/things/ABC',
      '/v1/things/abc/more',
      '/v1/things/abc?x=1',
      '/v1/things/',
    ]);
  });

  it.each([
    ['a body the route does not accept', '/v1/echo', '{"n":"21"}', {}],
    ['JSON that does not parse', '/v1/echo', '{"n":', {}],
    ['JSON nested too deep', '/v1/echo', `{"n":${'['.repeat(40)}${']'.repeat(40)}}`, {}],
    ['a body that is not an object', '/v1/echo', '[1]', {}],
    ['leading white space', '/v1/echo', ' {"n":1}', {}],
    ['a byte order mark', '/v1/echo', '\ufeff{"n":1}', {}],
    ['another content type', '/v1/echo', '{"n":1}', { 'Content-Type': 'text/plain' }],
    ['another charset', '/v1/echo', '{"n":1}', { 'Content-Type': 'application/json; charset=latin1' }],
    ['a content encoding', '/v1/echo', '{"n":1}', { 'Content-Encoding': 'identity' }],
    ['a body over the limit', '/v1/echo', `{"n":1,"pad":"${'x'.repeat(64)}"}`, {}],
    ['a query string', '/v1/echo?n=1', '{"n":1}', {}],
    ['a trailing slash', '/v1/echo/', '{"n":1}', {}],
    ['another path', '/v1/other', '{"n":1}', {}],
  ])('passes on %s, with its body intact', async (_what, path, body, headers) => {
    const res = await post(path, body, headers);
    expect([res.status, res.body]).toEqual([299, 'express']);
    expect(passedOn).toEqual([{ url: path, body }]);
    expect(served).toEqual([]);
  });

  it('passes on other methods and chunked bodies', async () => {
    const chunked = await post('/v1/echo', '{"n":1}', {
      'Content-Length': '',
      'Transfer-Encoding': 'chunked',
    });
    const put = await post('/v1/echo', '{"n":1}', {}, 'PUT');
    expect([chunked.status, put.status]).toEqual([299, 299]);
    expect(passedOn).toEqual([
      { url: '/v1/echo', body: '{"n":1}' },
      { url: '/v1/echo', body: '{"n":1}' },
    ]);
    expect(served).toEqual([]);
  });
});
