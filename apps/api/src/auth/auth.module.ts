import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type ApiConfig, usesPublicJwtSecret } from '@bousai/config';
import {
  AuditPersistenceModule,
  OperatorsPersistenceModule,
  RosterPersistenceModule,
} from '@bousai/persistence';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { BrowserSessionController } from './browser-session.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { ResidentPrincipals } from './resident-principals';
import { RouteAccessCatalog, RouteAccessCheck } from './route-access.check';

@Module({
  imports: [
    AuditPersistenceModule,
    OperatorsPersistenceModule,
    RosterPersistenceModule,
    DiscoveryModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: ApiConfig) => {
        if (usesPublicJwtSecret(config)) {
          // only reachable with NODE_ENV=development or test (config refuses it otherwise)
          new Logger('AuthModule').warn(
            `JWT_SECRET is unset or public: operator tokens are signed with the PUBLIC development key, so anyone can ` +
              `forge them. NODE_ENV=${config.NODE_ENV}; never expose this api to a network. Set JWT_SECRET ` +
              `(e.g. openssl rand -hex 32) and NODE_ENV=production for real use.`,
          );
        }
        return {
          secret: config.JWT_SECRET,
          signOptions: { algorithm: 'HS256', issuer: 'bousai', audience: 'bousai-operator' },
          verifyOptions: { algorithms: ['HS256'], issuer: 'bousai', audience: 'bousai-operator' },
        };
      },
    }),
  ],
  controllers: [AuthController, BrowserSessionController],
  providers: [
    AuthService,
    LoginThrottle,
    ResidentPrincipals,
    RouteAccessCatalog,
    RouteAccessCheck,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, RouteAccessCatalog],
})
export class AuthModule {}
