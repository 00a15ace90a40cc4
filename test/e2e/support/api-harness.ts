import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { hashPassword, Role } from '@bousai/domain';
import { createTestDatabase, testQueuePrefix, type TestDatabase, validatingClient } from '@bousai/testing';
import { AppModule } from '../../../apps/api/src/app.module';
import { configureApp } from '../../../apps/api/src/configure-app';

export const PASSWORD = 'correct horse battery staple';
export const JWT_SECRET = 'e2e-secret-0123456789-0123456789-abcdef';

export interface Tenant {
  municipalityId: string;
  operators: Record<Role, { id: string; email: string }>;
}

export interface ApiHarness {
  app: INestApplication;
  db: TestDatabase;
  /** Every answer it receives is checked against openapi.json (see `validatingClient`). */
  http: ReturnType<typeof request>;
  tenants: [Tenant, Tenant];
  login(email: string, password?: string): Promise<{ accessToken: string; refreshToken: string }>;
  token(tenant: Tenant, role: Role): Promise<string>;
  /** The device credential of a resident, enrolled with a code an operator of the tenant issued. */
  enrol(tenant: Tenant, residentId: string): Promise<string>;
  close(): Promise<void>;
}

let hashed: Promise<string> | undefined;

/** A municipality with one operator of each role (password PASSWORD), as every e2e test signs in. */
export async function seedTenant(db: TestDatabase, code: string, name: string): Promise<Tenant> {
  hashed ??= hashPassword(PASSWORD);
  const passwordHash = await hashed;
  const [m] = await db.dataSource.query<{ id: string }[]>(
    `INSERT INTO municipality (code, name, jma_city_codes) VALUES ($1, $2, '{3220600}') RETURNING id`,
    [code, name],
  );
  const operators = {} as Tenant['operators'];
  for (const role of Object.values(Role)) {
    const email = `${role}@${code}.example`;
    const [o] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO operator (municipality_id, email, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING id`,
      [m.id, email, passwordHash, role],
    );
    operators[role] = { id: o.id, email };
  }
  return { municipalityId: m.id, operators };
}

/** Boots the api in process against a private database and Redis prefix, with two municipalities. */
export async function startApi(env: Record<string, string> = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const tenants: [Tenant, Tenant] = [
    await seedTenant(db, '322067', '安来市'),
    await seedTenant(db, '322016', '松江市'),
  ];
  const app = await NestFactory.create(
    AppModule.forRoot({
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '5',
      QUEUE_PREFIX: testQueuePrefix(),
      LOG_LEVEL: 'silent',
      JWT_SECRET,
      NODE_ENV: 'test',
      ...env,
    }),
    { logger: false },
  );
  configureApp(app);
  await app.init();
  const http = validatingClient(request(app.getHttpServer()));
  // Redis connects in the background after boot; wait for readiness like a load balancer would
  for (let i = 0; i < 100 && (await request(app.getHttpServer()).get('/readyz')).status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const tokens = new Map<string, string>();
  const harness: ApiHarness = {
    app,
    db,
    http,
    tenants,
    async login(email, password = PASSWORD) {
      const res = await http.post('/v1/auth/login').send({ email, password });
      if (res.status !== 200)
        throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { accessToken: string; refreshToken: string };
    },
    async token(tenant, role) {
      const email = tenant.operators[role].email;
      const cached = tokens.get(email);
      if (cached) return cached;
      const { accessToken } = await harness.login(email);
      tokens.set(email, accessToken);
      return accessToken;
    },
    async enrol(tenant, residentId) {
      const code = await http
        .post(`/v1/municipalities/${tenant.municipalityId}/residents/${residentId}/enrolment-codes`)
        .set('Authorization', `Bearer ${await harness.token(tenant, Role.Operator)}`)
        .send();
      const enrolled = await http.post('/v1/resident/enrol').send({ code: code.body.code });
      if (enrolled.status !== 201) throw new Error(`enrol failed: ${enrolled.status}`);
      return enrolled.body.credential as string;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
  return harness;
}
