import { Role } from '@bousai/domain';
import { startApi, type ApiHarness } from '../support/api-harness';

/** Issue 17: every error answer is `{ error: { code, message, details } }`, `details` included (null when empty). */
describe('error bodies', () => {
  let sut: ApiHarness;
  beforeAll(async () => {
    sut = await startApi();
  });
  afterAll(() => sut.close());

  const shape = (code: string, details: unknown = null) => ({
    error: { code, message: expect.any(String), details },
  });

  it('401 without a token, with a bad token and with wrong credentials', async () => {
    const m = `/v1/municipalities/${sut.tenants[0].municipalityId}`;
    expect((await sut.http.get(m)).body).toEqual(shape('UNAUTHENTICATED'));
    expect((await sut.http.get(m).set('Authorization', 'Bearer nope')).body).toEqual(shape('TOKEN_INVALID'));
    const login = await sut.http
      .post('/v1/auth/login')
      .send({ email: sut.tenants[0].operators.admin.email, password: 'wrong' });
    expect(login.status).toBe(401);
    expect(login.body).toEqual(shape('INVALID_CREDENTIALS'));
  });

  it("403 on another municipality's routes and for a role too low", async () => {
    const [yasugi, matsue] = sut.tenants;
    const other = await sut.http
      .get(`/v1/municipalities/${yasugi.municipalityId}/households`)
      .set('Authorization', `Bearer ${await sut.token(matsue, Role.Admin)}`);
    expect(other.status).toBe(403);
    expect(other.body).toEqual(shape('FORBIDDEN'));
    const low = await sut.http
      .post(`/v1/municipalities/${yasugi.municipalityId}/areas`)
      .set('Authorization', `Bearer ${await sut.token(yasugi, Role.Viewer)}`)
      .send({ code: '01', name: '荒島' });
    expect(low.status).toBe(403);
    expect(low.body).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect(low.body.error).toHaveProperty('details');
  });

  it('404 for an unknown route (naming it) and for an unknown entity', async () => {
    const route = await sut.http.get('/v1/no-such-thing?x=1');
    expect(route.status).toBe(404);
    expect(route.body).toEqual(shape('NOT_FOUND', { method: 'GET', path: '/v1/no-such-thing' }));

    const yasugi = sut.tenants[0];
    const entity = await sut.http
      .get(`/v1/municipalities/${yasugi.municipalityId}/households/01890a5d-ac96-774b-bcce-b302099a8057`)
      .set('Authorization', `Bearer ${await sut.token(yasugi, Role.Viewer)}`);
    expect(entity.status).toBe(404);
    expect(entity.body).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(entity.body.error).toHaveProperty('details');
  });

  it('400 for malformed JSON', async () => {
    const res = await sut.http
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(shape('VALIDATION_FAILED'));
  });
});
