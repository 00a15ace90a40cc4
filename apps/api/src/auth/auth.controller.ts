import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Role } from '@bousai/domain';
import { Audit } from '../audit/audit.decorator';
import { Public, Roles } from './access.decorators';
import { LoginDto, RefreshDto, TokenPairDto } from './auth.dto';
import { AuthService, type TokenPair } from './auth.service';
import { CurrentOperator, type AuthedRequest, type OperatorPrincipal } from './principal';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @Audit('operator.login', 'operator')
  @ApiOkResponse({ type: TokenPairDto })
  @ApiTooManyRequestsResponse({ description: 'too many failed logins; see Retry-After' })
  login(@Body() body: LoginDto, @Req() req: AuthedRequest): Promise<TokenPair> {
    return this.auth.login(body.email, body.password, req.ip ?? 'unknown');
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @Audit('operator.refresh', 'operator')
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Roles(Role.Viewer)
  @HttpCode(204)
  @Audit('operator.logout', 'operator')
  @ApiNoContentResponse()
  async logout(@CurrentOperator() op: OperatorPrincipal): Promise<void> {
    await this.auth.logout(op.sessionId);
  }
}
