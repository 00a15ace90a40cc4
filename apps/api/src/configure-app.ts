import type { Server } from 'node:http';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type ApiConfig, mapTileSource } from '@bousai/config';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { DomainError, ErrorCode } from '@bousai/domain';
import { MetricsService } from '@bousai/observability';
import { ackDeviceRoutes } from './acks/ack-device-routes';
import { safetyDeviceRoute } from './safety/safety-device-route';
import { SafetyAnswersUseCase } from './safety/safety-answers.use-case';
import { RecordAcksUseCase } from './acks/record-acks.use-case';
import { ResidentPrincipals } from './auth/resident-principals';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { withErrorBodies } from './openapi-document';
import { InputTextPipe, JSON_BODY_LIMIT, verifyJsonBody } from './input/request-input';
import { DeviceFastPath } from './web/device-fast-path';
import { consoleCsp, CONSOLE_PATH, PWA_CSP, PWA_PATH, PWA_PERMISSIONS, staticSite } from './web/static-site';

/** Looks a provider up once, on first use (the routes served before express are built before the app is). */
function lazily<T>(get: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= get());
}

function flatten(errors: ClassValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Everything an api instance needs besides its module: used by main, the tests and the OpenAPI generator. */
export function configureApp(app: INestApplication): void {
  // the client's address (login throttling, logs) comes from X-Forwarded-For only through the proxies trusted here
  const config = app.get<ApiConfig>(APP_CONFIG);
  (app as NestExpressApplication).set('trust proxy', config.TRUST_PROXY);
  // the operator console, same origin as the api it calls (its session cookie and CSP depend on that)
  // the console's CSP admits the map tiles' origin for images only, and only when tiles are configured
  const tiles = config.CONSOLE_MAP_TILES_URL && mapTileSource(config.CONSOLE_MAP_TILES_URL);
  const csp = consoleCsp(tiles || undefined);
  app.use(CONSOLE_PATH, staticSite({ path: CONSOLE_PATH, dir: config.CONSOLE_DIR, csp }));
  // the residents' app; its service worker controls /app/ and is always fetched fresh (a fix reaches every browser)
  app.use(
    PWA_PATH,
    staticSite({ path: PWA_PATH, dir: config.PWA_DIR, csp: PWA_CSP, permissions: PWA_PERMISSIONS }),
  );
  // replaces Nest's default JSON parser (registered at init only when none is): bounded size and depth. Nest's
  // option type leaves out `verify` because its rawBody option uses it; this app does not ask for rawBody.
  const json = { limit: JSON_BODY_LIMIT, verify: verifyJsonBody };
  (app as NestExpressApplication).useBodyParser('json', json);
  app.useGlobalPipes(
    new InputTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const details = flatten(errors);
        return new DomainError(
          ErrorCode.ValidationFailed,
          `Invalid request: ${details.map((d) => `${d.field} (${d.problems.join('; ')})`).join(', ')}`,
          details,
        );
      },
    }),
  );
  const errors = new ApiExceptionFilter();
  app.useGlobalFilters(errors);
  // the device routes a storm of phones calls once each, served before express (docs/performance.md)
  const fast = new DeviceFastPath(
    lazily(() => app.get(MetricsService)),
    errors,
  );
  const services = lazily(() => ({
    acks: app.get(RecordAcksUseCase),
    answers: app.get(SafetyAnswersUseCase),
    residents: app.get(ResidentPrincipals),
  }));
  const [signedAck, residentAcks] = ackDeviceRoutes(services);
  fast.add(signedAck).add(residentAcks).add(safetyDeviceRoute(services));
  fast.install((app as INestApplication<Server>).getHttpServer());
  app.enableShutdownHooks();
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('bousai API')
    .setDescription(
      'Two-way disaster communication backend: roster, alerts, deliveries, acknowledgements and safety confirmation. ' +
        'Errors are always `{ "error": { "code", "message", "details" } }`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'operator')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'resident credential (rc_…)' }, 'resident')
    .build();
  return withErrorBodies(SwaggerModule.createDocument(app, config));
}
