import { OpenApiContract } from './openapi-contract';

const error = { $ref: '#/components/schemas/ErrorBody' };
const sut = new OpenApiContract({
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          default: { content: { 'application/json': { schema: error } } },
        },
      },
    },
    '/things/feed': {
      get: { responses: { '200': { content: { 'text/csv': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'label'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          label: { type: 'string', nullable: true },
          count: { type: 'integer' },
        },
      },
      ErrorBody: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message', 'details'],
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
              details: { nullable: true },
            },
          },
        },
      },
    },
  },
});

const id = '0190a3f2-7c1e-7b3a-9d4e-1f2a3b4c5d6e';
const json = 'application/json; charset=utf-8';
const answer = (status: number, body: unknown, url = `/things/${id}`, contentType = json) => ({
  method: 'GET',
  url,
  status,
  contentType,
  body,
  text: typeof body === 'string' ? body : JSON.stringify(body),
});

describe(OpenApiContract.name, () => {
  it('accepts a body its operation documents, null where the schema is nullable', () => {
    expect(sut.violations(answer(200, { id, label: null, count: 3 }))).toEqual([]);
  });

  it('names what differs when a body does not match its schema', () => {
    const problems = sut.violations(answer(200, { id: 'not-a-uuid', count: 'three' }));

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("must have required property 'label'"),
        expect.stringContaining('body/id must match format "uuid"'),
        expect.stringContaining('body/count must be integer'),
      ]),
    );
    expect(problems[0]).toMatch(/^GET \/things\/\{id\} → 200: /);
  });

  it('refuses a field the schema does not list, and null where it is not nullable', () => {
    expect(sut.violations(answer(200, { id, label: 'a', passwordHash: 'x' }))).toEqual([
      expect.stringContaining('must NOT have additional properties (passwordHash)'),
    ]);
    expect(sut.violations(answer(200, { id, label: 'a', count: null }))).toEqual([
      expect.stringContaining('body/count must be integer'),
    ]);
  });

  it('checks error answers against the documented error shape', () => {
    const ok = { error: { code: 'NOT_FOUND', message: 'thing not found', details: null } };
    expect(sut.violations(answer(404, ok))).toEqual([]);
    expect(sut.violations(answer(404, { message: 'Not Found', statusCode: 404 }))).not.toEqual([]);
  });

  it('matches a literal path before a template, and refuses an undocumented content type', () => {
    expect(sut.templateOf('GET', '/things/feed?x=1')).toBe('/things/feed');
    expect(sut.violations(answer(200, 'a,b\n', '/things/feed', 'text/csv; charset=utf-8'))).toEqual([]);
    expect(sut.violations(answer(200, '<p>', '/things/feed', 'text/html'))).toEqual([
      'GET /things/feed → 200: text/html is not documented (text/csv)',
    ]);
  });

  it('reads the committed openapi.json, whose every operation it can resolve', () => {
    const real = OpenApiContract.load();
    expect(real.templateOf('POST', '/v1/auth/login')).toBe('/v1/auth/login');
    expect(
      real.violations({
        method: 'POST',
        url: '/v1/auth/login',
        status: 200,
        contentType: json,
        body: {},
        text: '{}',
      }),
    ).not.toEqual([]);
  });
});
