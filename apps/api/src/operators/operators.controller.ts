import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { CurrentOperator, type OperatorPrincipal } from '../auth/principal';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { CreateOperatorDto, OperatorAccountView, UpdateOperatorDto } from './operators.dto';
import { OperatorAccountsUseCase } from './operators.use-case';

const Mid = () => Param('municipalityId', ParseUUIDPipe);

/** Administration of the municipality's operator accounts (admins only; every change audited). */
@ApiTags('operators')
@Controller('v1/municipalities/:municipalityId/operators')
export class OperatorsController {
  constructor(private readonly accounts: OperatorAccountsUseCase) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOkResponse({ type: [OperatorAccountView], description: 'by email' })
  async list(@Mid() mid: string): Promise<OperatorAccountView[]> {
    return (await this.accounts.list(mid)).map((o) => OperatorAccountView.of(o));
  }

  @Post()
  @Roles(Role.Admin)
  @Audit('operator.create', 'operator')
  @ApiCreatedResponse({ type: OperatorAccountView })
  async create(
    @Mid() mid: string,
    @Body() body: CreateOperatorDto,
    @Req() req: AuditedRequest,
  ): Promise<OperatorAccountView> {
    const created = await this.accounts.create(mid, body);
    req.auditDetails = { role: created.role };
    return OperatorAccountView.of(created);
  }

  /** Change an account's role, name or disabled flag; an admin cannot lower or disable their own account (409). */
  @Patch(':id')
  @Roles(Role.Admin)
  @Audit('operator.update', 'operator')
  @ApiOkResponse({ type: OperatorAccountView })
  async update(
    @Mid() mid: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOperatorDto,
    @CurrentOperator() actor: OperatorPrincipal,
    @Req() req: AuditedRequest,
  ): Promise<OperatorAccountView> {
    const { operator, endedSessions } = await this.accounts.update(mid, actor.operatorId, id, body);
    req.auditDetails = {
      ...(body.role === undefined ? {} : { role: body.role }),
      ...(body.disabled === undefined ? {} : { disabled: body.disabled, endedSessions }),
      ...(body.displayName === undefined ? {} : { displayName: 'changed' }),
    };
    return OperatorAccountView.of(operator);
  }
}
