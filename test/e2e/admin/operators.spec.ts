import { Role } from '@bousai/domain';
import { PASSWORD, startApi, type ApiHarness } from '../support/api-harness';

/**
 * Administration of operator accounts (issue 20, the console's admin screen): admins list, create, change the
 * role of and disable their municipality's operators; nobody else may; every change is in the audit log, which
 * admins filter by actor, action and time.
 */
describe('operator accounts and the audit log filters', () => {
  let sut: ApiHarness;
  let base: string;
  let admin: [string, string];

  beforeAll(async () => {
    sut = await startApi();
    const [yasugi] = sut.tenants;
    base = `/v1/municipalities/${yasugi.municipalityId}`;
    admin = ['Authorization', `Bearer ${await sut.token(yasugi, Role.Admin)}`];
  });
  afterAll(() => sut.close());

  it('lists the accounts by email, with role and state and never a password hash', async () => {
    const res = await sut.http.get(`${base}/operators`).set(...admin);
    expect(res.status).toBe(200);
    expect(res.body.map((o: { email: string; role: string }) => [o.email, o.role])).toEqual([
      ['admin@322067.example', 'admin'],
      ['approver@322067.example', 'approver'],
      ['operator@322067.example', 'operator'],
      ['viewer@322067.example', 'viewer'],
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
  });

  it('creates an account that can log in, refuses a short password and a taken email', async () => {
    const created = await sut.http
      .post(`${base}/operators`)
      .set(...admin)
      .send({
        email: 'new.staff@322067.example',
        role: 'operator',
        password: PASSWORD,
        displayName: '防災課 新人',
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'operator', disabled: false, displayName: '防災課 新人' });
    expect(JSON.stringify(created.body)).not.toMatch(/password|argon2/i);
    await sut.login('new.staff@322067.example');

    const short = await sut.http
      .post(`${base}/operators`)
      .set(...admin)
      .send({ email: 'x@322067.example', role: 'viewer', password: 'short' });
    expect(short.status).toBe(400);
    const taken = await sut.http
      .post(`${base}/operators`)
      .set(...admin)
      .send({ email: 'NEW.staff@322067.example', role: 'viewer', password: PASSWORD });
    expect(taken.status).toBe(409);
  });

  it('changes a role with effect on the next request, and disabling ends the sessions', async () => {
    const [yasugi] = sut.tenants;
    const viewer = yasugi.operators[Role.Viewer];
    const session = await sut.login(viewer.email);
    const asViewer = ['Authorization', `Bearer ${session.accessToken}`] as const;
    expect((await sut.http.get(`${base}/coverage`).set(...asViewer)).status).toBe(200);
    const createHousehold = async () =>
      (
        await sut.http
          .post(`${base}/households`)
          .set(...asViewer)
          .send({})
      ).status;
    expect(await createHousehold()).toBe(403);

    const change = (patch: Record<string, unknown>) =>
      sut.http
        .patch(`${base}/operators/${viewer.id}`)
        .set(...admin)
        .send(patch);
    const promoted = await change({ role: 'operator' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('operator');
    // the same token now carries the operator role: a bad body, not a refusal
    expect(await createHousehold()).toBe(400);

    const disabled = await change({ disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await sut.http.get(`${base}/coverage`).set(...asViewer)).status).toBe(401);
    expect(
      (await sut.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken })).status,
    ).toBe(401);
    expect(
      (await sut.http.post('/v1/auth/login').send({ email: viewer.email, password: PASSWORD })).status,
    ).toBe(401);

    const enabled = await change({ disabled: false, role: 'viewer' });
    expect(enabled.body).toMatchObject({ disabled: false, role: 'viewer' });
    await sut.login(viewer.email);
  });

  it('refuses an admin lowering or disabling their own account (409), and an unknown account (404)', async () => {
    const [yasugi] = sut.tenants;
    const self = `${base}/operators/${yasugi.operators[Role.Admin].id}`;
    const lower = await sut.http
      .patch(self)
      .set(...admin)
      .send({ role: 'approver' });
    expect(lower.status).toBe(409);
    expect(lower.body.error).toMatchObject({ code: 'CONFLICT', details: { field: 'role' } });
    expect(
      (
        await sut.http
          .patch(self)
          .set(...admin)
          .send({ disabled: true })
      ).status,
    ).toBe(409);
    const other = `${base}/operators/${sut.tenants[1].operators[Role.Viewer].id}`;
    expect(
      (
        await sut.http
          .patch(other)
          .set(...admin)
          .send({ role: 'admin' })
      ).status,
    ).toBe(404);
  });

  it('is for admins only: approvers, operators and viewers get 403, another municipality too', async () => {
    const [yasugi, matsue] = sut.tenants;
    for (const role of [Role.Viewer, Role.Operator, Role.Approver]) {
      const auth = ['Authorization', `Bearer ${await sut.token(yasugi, role)}`] as const;
      expect((await sut.http.get(`${base}/operators`).set(...auth)).status).toBe(403);
      expect(
        (
          await sut.http
            .post(`${base}/operators`)
            .set(...auth)
            .send({ email: 'y@322067.example', role: 'admin', password: PASSWORD })
        ).status,
      ).toBe(403);
      expect(
        (
          await sut.http
            .patch(`${base}/operators/${yasugi.operators[role].id}`)
            .set(...auth)
            .send({ role: 'admin' })
        ).status,
      ).toBe(403);
      expect((await sut.http.get(`${base}/audit-log`).set(...auth)).status).toBe(403);
    }
    const otherAdmin = ['Authorization', `Bearer ${await sut.token(matsue, Role.Admin)}`] as const;
    expect((await sut.http.get(`${base}/operators`).set(...otherAdmin)).status).toBe(403);
  });

  it('audits every change with its facts, and filters the log by actor, action family and time', async () => {
    const [yasugi] = sut.tenants;
    const adminId = yasugi.operators[Role.Admin].id;
    const viewerId = yasugi.operators[Role.Viewer].id;
    const log = (query: Record<string, string>) =>
      sut.http
        .get(`${base}/audit-log`)
        .query(query)
        .set(...admin);

    const updates = await log({ action: 'operator.update', actorId: adminId });
    expect(updates.status).toBe(200);
    expect(updates.body.map((e: { details: unknown }) => e.details)).toEqual([
      { disabled: false, role: 'viewer', endedSessions: 0 },
      { disabled: true, endedSessions: 1 },
      { role: 'operator' },
    ]);
    expect(updates.body.every((e: { targetIds: string[] }) => e.targetIds.includes(viewerId))).toBe(true);

    const family = await log({ action: 'operator' });
    expect(family.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['operator.create', 'operator.update']),
    );
    expect(family.body.every((e: { action: string }) => e.action.startsWith('operator.'))).toBe(true);
    expect(JSON.stringify(family.body)).not.toMatch(/password|correct horse/i);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await log({ action: 'operator', since: future })).body).toEqual([]);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await log({ action: 'operator', until: past })).body).toEqual([]);
    expect((await log({ action: 'operator', since: past, until: future })).body).toHaveLength(
      family.body.length,
    );

    const byViewer = await log({ actorId: viewerId });
    expect(byViewer.body.every((e: { actorId: string }) => e.actorId === viewerId)).toBe(true);

    expect((await log({ since: future, until: past })).status).toBe(400);
    expect((await log({ since: 'yesterday' })).status).toBe(400);
    expect((await log({ action: "x' OR 1=1" })).status).toBe(400);
  });
});
