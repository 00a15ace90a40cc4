import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { pinoHttpOptions, pinoOptions, REQUEST_ID_HEADER } from './logger.options';

/** A destination that keeps every line pino writes, parsed. */
function memoryDestination() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { stream, lines, raw };
}

describe(pinoOptions.name, () => {
  it('writes JSON with sensitive keys redacted and personal data masked inside strings', () => {
    const out = memoryDestination();
    const sut = pino(pinoOptions({ app: 'test', level: 'info' }), out.stream);

    sut.info(
      {
        alertId: 'a-1',
        email: 'taro@example.jp',
        endpoint: { channel: 'webpush', subscription: { endpoint: 'https://push.example/x' }, token: 't' },
        operator: { password: 'hunter2-hunter2', refreshToken: 'r', accessToken: 'a', secret: 's' },
      },
      'delivered to %s',
      'hanako@example.jp',
    );
    sut.error(new Error('SMTP 550 <jiro@example.jp>, call 090-1234-5678'), 'send failed');

    expect(out.raw.join('\n')).not.toMatch(/example\.jp|090-1234|hunter2|push\.example/);
    expect(out.lines[0]).toMatchObject({
      level: 30,
      app: 'test',
      alertId: 'a-1',
      email: '[Redacted]',
      endpoint: { channel: 'webpush', subscription: '[Redacted]', token: '[Redacted]' },
      operator: { password: '[Redacted]', refreshToken: '[Redacted]', accessToken: '[Redacted]' },
      msg: 'delivered to [email]',
    });
    expect(out.lines[1]).toMatchObject({
      level: 50,
      msg: 'send failed',
      err: { type: 'Error', message: 'SMTP 550 <[email]>, call [phone]' },
    });
  });

  it('honours the level', () => {
    const out = memoryDestination();
    const sut = pino(pinoOptions({ app: 'test', level: 'warn' }), out.stream);
    sut.info('hidden');
    sut.warn('shown');
    expect(out.lines.map((l) => l.msg)).toEqual(['shown']);
  });
});

describe(pinoHttpOptions.name, () => {
  let server: Server;
  let out: ReturnType<typeof memoryDestination>;

  beforeEach(async () => {
    out = memoryDestination();
    const log = pinoHttp(pinoHttpOptions({ app: 'test', level: 'info' }), out.stream);
    server = createServer((req, res) => {
      log(req, res);
      res.statusCode = req.url?.startsWith('/healthz') ? 200 : 401;
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterEach(async () => {
    server.close();
    await once(server, 'close');
  });

  function get(path: string, headers: Record<string, string> = {}) {
    const { port } = server.address() as AddressInfo;
    return new Promise<{ status: number; requestId: unknown }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, headers }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, requestId: res.headers[REQUEST_ID_HEADER] }),
        );
      })
        .on('error', reject)
        .end();
    });
  }

  it('logs the request with its id, credentials redacted, no body and no client address', async () => {
    const res = await get('/safety/answer?token=abc.def&email=taro@example.jp', {
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      cookie: 'sid=123',
      [REQUEST_ID_HEADER]: 'req-42',
    });

    expect(res).toEqual({ status: 401, requestId: 'req-42' });
    expect(out.raw.join('\n')).not.toMatch(/eyJ|sid=123|abc\.def|taro@/);
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatchObject({
      level: 40,
      req: {
        id: 'req-42',
        method: 'GET',
        url: '/safety/answer?token=[redacted]&email=[redacted]',
        headers: { authorization: '[Redacted]', cookie: '[Redacted]' },
      },
      res: { statusCode: 401 },
    });
    expect(out.lines[0].req).not.toHaveProperty('remoteAddress');
  });

  it('logs no roster ids, codes, tokens or emails from the query string or the path', async () => {
    await get('/v1/municipalities/m/households?externalId=H-0042-77&limit=20&areaId=a1');
    await get('/v1/municipalities/m/residents?needsAssistance=true&externalId=3220600123&cursor=c1');
    await get('/v1/resident/email/confirm?token=tok.123&code=ENROL-9X7Q');
    await get('/v1/municipalities/m/residents/hanako@example.jp?%E4%BD%8F%E6%B0%91=R-77&R-0099');

    const logged = out.raw.join('\n');
    for (const personal of [
      'H-0042-77',
      '3220600123',
      'tok.123',
      'ENROL-9X7Q',
      'hanako@',
      'R-77',
      'R-0099',
    ]) {
      expect(logged).not.toContain(personal);
    }
    expect(out.lines.map((l) => (l.req as { url: string }).url)).toEqual([
      '/v1/municipalities/m/households?externalId=[redacted]&limit=20&areaId=a1',
      '/v1/municipalities/m/residents?needsAssistance=true&externalId=[redacted]&cursor=c1',
      '/v1/resident/email/confirm?token=[redacted]&code=[redacted]',
      '/v1/municipalities/m/residents/[email]?[redacted]&[redacted]',
    ]);
  });

  it('makes a request id when the caller sends none or an unsafe one', async () => {
    const a = await get('/x');
    const b = await get('/x', { [REQUEST_ID_HEADER]: 'bad id\twith "quotes"' });
    expect(a.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not log probes', async () => {
    await get('/healthz');
    expect(out.lines).toEqual([]);
  });
});
