import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { Response } from 'supertest';
import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

/**
 * Every operation in the committed openapi.json gets generated hostile path parameters, queries and bodies,
 * with the credential it asks for and without one; the api must answer each with less than 500, and every
 * JSON error as `{ error: { code, message, details } }`. Reproducible: fast-check runs on a fixed seed.
 */

const SEED = 20261207;
const GENERATED_PER_OPERATION = 5;

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  parameters: Parameter[];
  body?: Schema;
  multipart: boolean;
  security: 'operator' | 'resident' | null;
}

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}

const openapi = JSON.parse(readFileSync(path.resolve(__dirname, '../../../openapi.json'), 'utf8')) as OpenApi;

function resolve(schema: Schema): Schema {
  return schema.$ref ? resolve(openapi.components.schemas[schema.$ref.split('/').pop()!]) : schema;
}

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [p, byMethod] of Object.entries(openapi.paths)) {
    for (const [method, raw] of Object.entries(byMethod)) {
      const op = raw as {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: Schema }> };
        security?: Record<string, unknown>[];
      };
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method as Operation['method'],
        path: p,
        parameters: op.parameters ?? [],
        body: content['application/json']?.schema,
        multipart: 'multipart/form-data' in content,
        security: (Object.keys(op.security?.[0] ?? {})[0] as Operation['security']) ?? null,
      });
    }
  }
  return ops;
}

/** Nested arrays built without recursion, as deep as asked. */
function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Values that have crashed, or could crash, something between the socket and Postgres. */
const HOSTILE_VALUES: unknown[] = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  'x'.repeat(100_000),
  '',
  ' ',
  '😀',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '2026-02-30T25:61:00Z',
  '+275760-09-13T00:00:00.001Z',
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  1e308,
  -1e308,
  [],
  [null],
  ['\u0000'],
  {},
  { ja: null },
  { ja: { title: null, body: 7 } },
  JSON.parse('{"__proto__":{"isAdmin":true}}'),
  JSON.parse('{"constructor":{"prototype":{"isAdmin":true}}}'),
  nested(40),
  nested(1_000),
];

/** Whole raw bodies: malformed JSON, JSON text a parser must bound, content the DTOs do not expect. */
const RAW_BODIES: string[] = [
  '['.repeat(2_000) + ']'.repeat(2_000),
  '{"a":' + '['.repeat(2_000) + ']'.repeat(2_000) + '}',
  '{"a":',
  '"\\u0000"',
  '{"x":"\\ud800"}',
  '{"\\u0000":1}',
  'null',
  '[]',
  '"text"',
  '1e999',
  '{"__proto__":{"polluted":true}}',
];

/** Raw (already encoded) query and path values. */
const HOSTILE_RAW: string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF',
  '%',
  'x'.repeat(4_000),
  '-1',
  '0',
  '1e309',
  '99999999999999999999',
  'NaN',
  'not-a-date',
  '2026-02-30',
  'null',
  '__proto__',
  '%5B%5D',
  '..',
  '%2F..%2F',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
];

/** Generates a value the schema accepts, more or less: the frame a hostile value is put in. */
function plausible(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant({});
  const s = resolve(schema);
  if (s.example !== undefined) return fc.constant(s.example);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type ?? 'object') {
    case 'string':
      if (s.format === 'uuid') return fc.uuid({ version: 4 });
      if (s.format === 'date-time') return fc.constant(new Date().toISOString());
      if (s.format === 'email') return fc.constant('fuzz@example.jp');
      return fc.string({ minLength: 1, maxLength: 12 });
    case 'integer':
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 100, 100) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(plausible(s.items, depth + 1), { maxLength: 2 });
    default: {
      if (!s.properties || depth > 4) return fc.constant({});
      const props = Object.fromEntries(
        Object.entries(s.properties).map(([k, v]) => [k, plausible(v, depth + 1)]),
      );
      return fc.record(props, { requiredKeys: s.required ?? [] });
    }
  }
}

/**
 * One value the schema accepts: the frame the known hostile values are put in. `full` has every property;
 * the other only the required ones and those with an example, so that a free-form field the schema cannot
 * describe (a pattern) does not fail validation before the hostile value is looked at.
 */
function typical(schema: Schema | undefined, full: boolean, depth = 0): unknown {
  if (!schema) return {};
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  switch (s.type ?? 'object') {
    case 'string':
      if (s.format === 'uuid') return '0192f0c4-7a3e-4b8e-9c1d-2f3a4b5c6d7e';
      if (s.format === 'date-time') return new Date().toISOString();
      if (s.format === 'email') return 'fuzz@example.jp';
      return 'text';
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [typical(s.items, full, depth + 1)];
    default:
      return depth > 4 || !s.properties
        ? {}
        : Object.fromEntries(
            Object.entries(s.properties)
              .filter(([k, v]) => full || s.required?.includes(k) || v.example !== undefined)
              .map(([k, v]) => [k, typical(v, full, depth + 1)]),
          );
  }
}

/** Every place in `value` a hostile value can go: the root, each existing key or index, and a new key. */
function placesIn(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const places = [at];
  if (Array.isArray(value)) value.forEach((v, i) => places.push(...placesIn(v, [...at, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) places.push(...placesIn(v, [...at, k]));
    places.push([...at, 'unexpectedField']);
  }
  return places;
}

function put(value: unknown, at: (string | number)[], hostile: unknown): unknown {
  if (at.length === 0) return hostile;
  const copy = JSON.parse(JSON.stringify(value)) as Record<string | number, unknown>;
  let cursor = copy;
  for (const key of at.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  cursor[at[at.length - 1]] = hostile;
  return copy;
}

function encode(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

interface Probe {
  pathParams: Record<string, string>;
  query: string;
  body?: string;
  idempotencyKey?: string;
}

describe('hostile input to every operation in openapi.json', () => {
  let sut: ApiHarness;
  let operatorToken: string;
  let residentToken: string;
  const failures: string[] = [];
  let sent = 0;

  beforeAll(async () => {
    sut = await startApi({
      ONE_TAP_SECRET: 'fuzz-one-tap-secret-0123456789-abcdef',
      ACK_TOKEN_SECRET: 'fuzz-ack-token-secret-0123456789-abcdef',
    });
    const [yasugi] = sut.tenants;
    operatorToken = await sut.token(yasugi, Role.Admin);
    const base = `/v1/municipalities/${yasugi.municipalityId}`;
    const auth = ['Authorization', `Bearer ${operatorToken}`] as const;
    const resident = await sut.http
      .post(`${base}/residents`)
      .set(...auth)
      .send({ externalId: 'FUZZ-1', name: '検査 太郎' });
    const code = await sut.http
      .post(`${base}/residents/${resident.body.id}/enrolment-codes`)
      .set(...auth)
      .send();
    const enrol = await sut.http.post('/v1/resident/enrol').send({ code: code.body.code });
    residentToken = enrol.body.credential as string;
    expect(residentToken).toMatch(/^rc_/);
  });
  afterAll(() => sut.close());

  function pathValue(name: string): fc.Arbitrary<string> {
    const tenant = sut.tenants[0].municipalityId;
    const valid = name === 'municipalityId' ? fc.constant(tenant) : fc.uuid({ version: [4, 7] });
    return fc.oneof(
      { weight: 3, arbitrary: valid },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_RAW) },
    );
  }

  function probes(op: Operation): Probe[] {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const hasIdempotency = op.parameters.some((p) => p.in === 'header');
    const probe = fc.record({
      pathParams: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(p.name)]))),
      query: fc
        .array(
          fc.tuple(
            fc.constantFrom(...queryParams.map((p) => p.name), '__proto__', 'unexpected'),
            fc.oneof(
              fc.constantFrom(...HOSTILE_RAW),
              // Node itself answers 431 to a request line over 16 KB
              fc.constantFrom(...HOSTILE_VALUES.map(encode).filter((v) => v.length <= 4_000)),
              fc.string({ maxLength: 10 }).map(encode),
            ),
          ),
          { maxLength: 3 },
        )
        .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
      body: op.body
        ? fc
            .tuple(plausible(op.body), fc.constantFrom(...HOSTILE_VALUES), fc.nat())
            .map(([frame, hostile, n]) => {
              const places = placesIn(frame);
              return JSON.stringify(put(frame, places[n % places.length], hostile));
            })
        : fc.constant(undefined),
      idempotencyKey: hasIdempotency
        ? fc.constantFrom(undefined, '', 'x'.repeat(5_000), 'key with spaces')
        : fc.constant(undefined),
    });
    const generated = fc.sample(probe, { seed: SEED, numRuns: GENERATED_PER_OPERATION });
    // the known crashers, each at least once per operation
    const sample = generated[0];
    const frame = op.body ? typical(op.body, true) : undefined;
    const places = placesIn(frame);
    const minimal = op.body ? typical(op.body, false) : undefined;
    const known: Probe[] = [
      ...(op.body ? RAW_BODIES.map((body) => ({ ...sample, query: '', body })) : []),
      // every hostile value once, each in another place of a plausible body
      ...(op.body
        ? HOSTILE_VALUES.map((hostile, i) => ({
            ...sample,
            query: '',
            body: JSON.stringify(put(frame, places[(i * 7) % places.length], hostile)),
          }))
        : []),
      // and every field of it, in turn, of the wrong type or not text
      ...(op.body
        ? [frame, minimal].flatMap((f) =>
            placesIn(f).flatMap((place) =>
              [null, [], 'a\u0000b'].map((hostile) => ({
                ...sample,
                query: '',
                body: JSON.stringify(put(f, place, hostile)),
              })),
            ),
          )
        : []),
      ...pathParams.flatMap((p) =>
        ['%00', '%ED%A0%80', 'not-a-uuid', 'x'.repeat(3_000)].map((v) => ({
          ...sample,
          pathParams: { ...sample.pathParams, [p.name]: v },
        })),
      ),
      ...queryParams.map((p) => ({ ...sample, query: `${p.name}=a%00b&${p.name}=%ED%A0%80` })),
      ...queryParams.map((p) => ({ ...sample, query: `${p.name}=not-a-cursor-or-date` })),
    ];
    return [...known, ...generated];
  }

  async function send(op: Operation, probe: Probe, withToken: boolean): Promise<void> {
    let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => probe.pathParams[name] ?? 'x');
    if (probe.query) url += `?${probe.query}`;
    const req = sut.http[op.method](url);
    if (withToken && op.security === 'operator') req.set('Authorization', `Bearer ${operatorToken}`);
    if (withToken && op.security === 'resident') req.set('Authorization', `Bearer ${residentToken}`);
    if (probe.idempotencyKey !== undefined) req.set('Idempotency-Key', probe.idempotencyKey);
    let res: Response;
    if (op.multipart) {
      res = await req.attach('file', Buffer.from(probe.body ?? 'a,b\n\u0000,\ud800\n'), 'fuzz.csv');
    } else if (probe.body !== undefined) {
      res = await req.set('content-type', 'application/json').send(probe.body);
    } else {
      res = await req;
    }
    sent++;
    const problem = judge(res);
    if (problem) {
      failures.push(
        `${op.method.toUpperCase()} ${url.slice(0, 200)} ${withToken ? 'with' : 'without'} token` +
          ` body=${(probe.body ?? '').slice(0, 200)} → ${res.status} ${problem}: ${res.text.slice(0, 300)}`,
      );
    }
  }

  function judge(res: Response): string | null {
    if (res.status >= 500) return 'server error';
    if (res.status < 400) return null;
    const type = String(res.headers['content-type'] ?? '');
    // the one-tap pages answer people in a browser with a page
    if (type.startsWith('text/html')) return null;
    const error = (res.body as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || !('details' in error)) {
      return 'error body is not { error: { code, message, details } }';
    }
    return null;
  }

  // one test per operation, so a report names the operation; they share the api and run in order
  for (const op of operations()) {
    // a logout would end the session the other operations use: it gets no credential
    const logout = op.path.endsWith('/logout');
    it(`${op.method.toUpperCase()} ${op.path} answers hostile input with a 4xx`, async () => {
      const before = failures.length;
      for (const probe of probes(op)) {
        if (op.security && !logout) await send(op, probe, true);
        await send(op, probe, false);
      }
      expect(failures.slice(before)).toEqual([]);
    });
  }

  it('sent every probe', () => {
    expect(sent).toBeGreaterThan(operations().length * GENERATED_PER_OPERATION);
  });
});
