import { Body, Controller, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Role } from '@bousai/domain';
import { Roles } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { ProvisionReceiverDto } from './roster.dto';
import { RosterUseCase } from './roster.use-case';

export class ReceiverCredentialsDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() serial: string;
  @ApiProperty({ description: 'shown once; the device authenticates with serial + secret' }) secret: string;
}

export class EnrolmentCodeDto {
  @ApiProperty({ example: 'K7QM-3XPD-9TRW', description: 'give to the resident; single use' }) code: string;
  @ApiProperty() expiresAt: Date;
}

@ApiTags('roster')
@Controller('v1/municipalities/:municipalityId')
export class ProvisioningController {
  constructor(private readonly roster: RosterUseCase) {}

  /** A household receiver (専用戸別受信機): its secret is returned once and stored as an argon2id hash. */
  @Post('receivers')
  @Roles(Role.Operator)
  @Audit('receiver.provision', 'endpoint')
  @ApiCreatedResponse({ type: ReceiverCredentialsDto })
  async provision(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Body() body: ProvisionReceiverDto,
  ): Promise<ReceiverCredentialsDto> {
    const { id, serial, secret } = await this.roster.provisionReceiver(mid, body);
    return { id, serial, secret };
  }

  @Post('receivers/:id/secret')
  @Roles(Role.Operator)
  @Audit('receiver.rotate_secret', 'endpoint')
  @ApiCreatedResponse({ type: ReceiverCredentialsDto })
  async rotate(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReceiverCredentialsDto> {
    const rotated = await this.roster.rotateReceiverSecret(mid, id);
    return { id: rotated.id, serial: rotated.serial, secret: rotated.secret };
  }

  /** A one-time code the resident types into the app to register their own devices. */
  @Post('residents/:residentId/enrolment-codes')
  @Roles(Role.Operator)
  @Audit('resident.enrolment_code', 'resident')
  @ApiCreatedResponse({ type: EnrolmentCodeDto })
  async enrolmentCode(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Param('residentId', ParseUUIDPipe) residentId: string,
    @Req() req: AuditedRequest,
  ): Promise<EnrolmentCodeDto> {
    const issued = await this.roster.enrolmentCode(mid, residentId);
    req.auditTargetIds = [issued.id];
    return { code: issued.code, expiresAt: issued.expiresAt };
  }
}
