import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { DomainError, ErrorCode, Role } from '@bousai/domain';
import { Audit } from '../audit/audit.decorator';
import { Public, Roles } from './access.decorators';
import { LoginDto, OperatorSummary } from './auth.dto';
import { AuthService, type TokenPair } from './auth.service';
import {
  assertSameOriginBrowserCall,
  clearRefreshCookie,
  CSRF_HEADER,
  readRefreshCookie,
  REFRESH_COOKIE,
  setRefreshCookie,
} from './browser-session';
import { CurrentOperator, type OperatorPrincipal } from './principal';

export class BrowserSessionDto {
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'JWT (HS256), short-lived; keep it in memory only' }) accessToken: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ type: OperatorSummary }) operator: OperatorSummary;
}

export class LogoutEverywhereDto {
  @ApiProperty({ description: 'how many sessions were still live and are now ended' })
  revokedSessions: number;
}

const csrfHeader = ApiHeader({
  name: CSRF_HEADER,
  required: true,
  description: 'must be `1` (CSRF defence)',
});

/**
 * Browser sessions (the console): the same operator sessions as `/v1/auth/login`, but the refresh token lives in
 * an httpOnly, Secure, SameSite=Strict cookie scoped to these routes and never in a response body; the access
 * token stays in the page's memory. Every call carries the CSRF header and comes from the api's own origin.
 */
@ApiTags('auth')
@Controller('v1/auth')
export class BrowserSessionController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Post('browser/login')
  @Public()
  @HttpCode(200)
  @Audit('operator.login', 'operator')
  @csrfHeader
  @ApiOkResponse({ type: BrowserSessionDto, description: `sets the ${REFRESH_COOKIE} cookie` })
  @ApiForbiddenResponse({ description: 'CSRF header missing or another origin' })
  @ApiTooManyRequestsResponse({ description: 'too many failed logins; see Retry-After' })
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BrowserSessionDto> {
    assertSameOriginBrowserCall(req, this.config.PUBLIC_BASE_URL);
    return this.toBrowser(await this.auth.login(body.email, body.password, req.ip ?? 'unknown'), res);
  }

  @Post('browser/refresh')
  @Public()
  @HttpCode(200)
  @Audit('operator.refresh', 'operator')
  @csrfHeader
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiOkResponse({ type: BrowserSessionDto, description: `rotates the ${REFRESH_COOKIE} cookie` })
  @ApiForbiddenResponse({ description: 'CSRF header missing or another origin' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<BrowserSessionDto> {
    assertSameOriginBrowserCall(req, this.config.PUBLIC_BASE_URL);
    const token = readRefreshCookie(req);
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, 'No browser session; log in');
    try {
      return this.toBrowser(await this.auth.refresh(token), res);
    } catch (err) {
      // a dead cookie is of no further use: drop it so the page shows the login form
      clearRefreshCookie(res);
      throw err;
    }
  }

  /** Needs the access token, which a cross-site form cannot send: the bearer is this route's CSRF defence. */
  @Post('browser/logout')
  @Roles(Role.Viewer)
  @HttpCode(204)
  @Audit('operator.logout', 'operator')
  @ApiNoContentResponse({ description: `ends this session and clears the ${REFRESH_COOKIE} cookie` })
  async logout(
    @CurrentOperator() op: OperatorPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(op.sessionId);
    clearRefreshCookie(res);
  }

  /** For browsers and API clients alike: every session of the caller ends, this one included. */
  @Post('logout-everywhere')
  @Roles(Role.Viewer)
  @HttpCode(200)
  @Audit('operator.logout_everywhere', 'operator')
  @ApiOkResponse({ type: LogoutEverywhereDto })
  async logoutEverywhere(
    @CurrentOperator() op: OperatorPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LogoutEverywhereDto> {
    const revokedSessions = await this.auth.logoutEverywhere(op.operatorId);
    clearRefreshCookie(res);
    return { revokedSessions };
  }

  private toBrowser(pair: TokenPair, res: Response): BrowserSessionDto {
    const { refreshToken, ...session } = pair;
    setRefreshCookie(res, refreshToken, this.config.REFRESH_TOKEN_TTL_DAYS * 86_400);
    return session;
  }
}
