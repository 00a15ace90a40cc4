import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import {
  ActorType,
  DomainError,
  dummyPasswordHash,
  ErrorCode,
  newSecret,
  sha256,
  verifyPassword,
} from '@bousai/domain';
import { type ActiveSession, AuditRepository, OperatorRepository } from '@bousai/persistence';
import { LoginThrottle } from './login-throttle';

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  operator: { id: string; municipalityId: string; role: string };
}

interface AccessClaims {
  sub: string;
  sid: string;
  mid: string;
  role: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly operators: OperatorRepository,
    private readonly audit: AuditRepository,
    private readonly throttle: LoginThrottle,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  async login(email: string, password: string, address: string): Promise<TokenPair> {
    await this.throttle.consumeAttempt(email, address);
    const operator = await this.operators.findByEmail(email);
    const ok = await verifyPassword(operator?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!operator || !ok || operator.disabled) {
      await this.audit.append({
        municipalityId: operator?.municipalityId ?? null,
        actorType: ActorType.System,
        actorId: null,
        action: 'operator.login_failed',
        targetType: operator ? 'operator' : null,
        targetIds: operator ? [operator.id] : [],
        details: { reason: !operator ? 'unknown_account' : operator.disabled ? 'disabled' : 'bad_password' },
        requestId: null,
      });
      throw new DomainError(ErrorCode.InvalidCredentials, 'Email or password is wrong');
    }
    await this.throttle.recordSuccess(email, address);
    await this.operators.recordLogin(operator.id);
    const refreshToken = newSecret('rt');
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const sessionId = await this.operators.createSession(operator.id, sha256(refreshToken), expiresAt);
    return this.issue(
      {
        sessionId,
        operatorId: operator.id,
        municipalityId: operator.municipalityId,
        role: operator.role,
        email: operator.email,
      },
      refreshToken,
    );
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const next = newSecret('rt');
    const result = await this.operators.rotateRefreshToken(sha256(refreshToken), sha256(next));
    if (result.outcome === 'rotated') return this.issue(result.session, next);
    if (result.outcome === 'replayed') {
      throw new DomainError(
        ErrorCode.TokenInvalid,
        'Refresh token was already used; the session has been revoked, log in again',
      );
    }
    throw new DomainError(
      ErrorCode.TokenInvalid,
      'Refresh token is unknown, expired or revoked; log in again',
    );
  }

  async logout(sessionId: string): Promise<void> {
    await this.operators.revokeSession(sessionId);
  }

  /** Ends every session of the operator: each refresh token and each access token stops working at once. */
  async logoutEverywhere(operatorId: string): Promise<number> {
    return this.operators.revokeAllSessions(operatorId);
  }

  /** Verifies an access token and loads its live session (so logout and disabling take effect at once). */
  async authenticate(accessToken: string): Promise<ActiveSession> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { algorithms: ['HS256'] });
    } catch (err) {
      if (err instanceof TokenExpiredError) {
        throw new DomainError(ErrorCode.TokenExpired, 'Access token has expired; refresh it');
      }
      throw new DomainError(ErrorCode.TokenInvalid, 'Access token is invalid');
    }
    if (typeof claims.sid !== 'string' || !/^[0-9a-f-]{36}$/.test(claims.sid)) {
      throw new DomainError(ErrorCode.TokenInvalid, 'Access token is invalid');
    }
    const session = await this.operators.activeSession(claims.sid);
    if (!session || session.operatorId !== claims.sub) {
      throw new DomainError(ErrorCode.TokenInvalid, 'Session has ended; log in again');
    }
    return session;
  }

  private async issue(session: ActiveSession, refreshToken: string): Promise<TokenPair> {
    const claims: AccessClaims = {
      sub: session.operatorId,
      sid: session.sessionId,
      mid: session.municipalityId,
      role: session.role,
    };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
    });
    return {
      tokenType: 'Bearer',
      accessToken,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken,
      operator: { id: session.operatorId, municipalityId: session.municipalityId, role: session.role },
    };
  }
}
