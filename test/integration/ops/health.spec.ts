import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import request from 'supertest';
import type { Env } from '@bousai/config';
import { createTestDatabase, type TestDatabase } from '@bousai/testing';
import { IngestModule } from '../../../apps/ingest/src/ingest.module';

/** Boots the ingest app in process, wired as `main.ts` wires it, against the given environment. */
async function boot(env: Env): Promise<INestApplication<Server>> {
  const app = await NestFactory.create<INestApplication<Server>>(IngestModule.forRoot(env), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}

describe('ops endpoints (ingest)', () => {
  let db: TestDatabase;
  const env = (): Env => ({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  describe('with Postgres and Redis up', () => {
    let app: INestApplication<Server>;

    beforeAll(async () => {
      app = await boot({ ...env(), REDIS_URL: 'redis://127.0.0.1:6379' });
    });
    afterAll(async () => {
      await app.close();
    });

    it('GET /healthz answers 200 ok', async () => {
      const res = await request(app.getHttpServer()).get('/healthz').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
    });

    it('GET /readyz answers 200 with every check passing', async () => {
      const res = await request(app.getHttpServer()).get('/readyz').expect(200);
      expect(res.body).toEqual({
        status: 'ok',
        checks: {
          postgres: { ok: true, ms: expect.any(Number) },
          redis: { ok: true, ms: expect.any(Number) },
        },
      });
    });

    it('GET /metrics exposes default metrics and the request histogram by route template', async () => {
      await request(app.getHttpServer()).get('/healthz').expect(200);
      await request(app.getHttpServer()).get('/no/such/route').expect(404);
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toContain('process_cpu_user_seconds_total{app="ingest"}');
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{app="ingest",method="GET",route="\/healthz",status="200"\} \d+/,
      );
      expect(res.text).toContain('route="unmatched",status="404"');
      expect(res.text).not.toContain('/no/such/route');
    });

    it('documents the ops endpoints under the "ops" tag', () => {
      const doc = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('t').build());
      for (const path of ['/healthz', '/readyz', '/metrics'])
        expect(doc.paths[path].get?.tags).toEqual(['ops']);
      expect(Object.keys(doc.paths['/readyz'].get?.responses ?? {})).toEqual(['200', '503']);
    });
  });

  describe('with Redis unreachable', () => {
    let app: INestApplication<Server>;

    beforeAll(async () => {
      app = await boot({ ...env(), REDIS_URL: 'redis://127.0.0.1:6390' });
    });
    afterAll(async () => {
      await app.close();
    });

    it('still serves /healthz, and /readyz answers 503 naming redis, promptly', async () => {
      await request(app.getHttpServer()).get('/healthz').expect(200);
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/readyz').expect(503);
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(res.body).toEqual({
        status: 'unavailable',
        checks: {
          postgres: { ok: true, ms: expect.any(Number) },
          redis: { ok: false, ms: expect.any(Number), error: expect.stringMatching(/connection is/) },
        },
      });
    });
  });
});
