import { Body, Controller, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import {
  Channel,
  EndpointStatus,
  hashDeviceSecret,
  newSecret,
  NotFoundError,
  Role,
  sha256,
} from '@bousai/domain';
import { ResidentAuthRepository, RosterRepository } from '@bousai/persistence';
import { Roles } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { ProvisionReceiverDto } from './roster.dto';

export class ReceiverCredentialsDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() serial: string;
  @ApiProperty({ description: 'shown once; the device authenticates with serial + secret' }) secret: string;
}

export class EnrolmentCodeDto {
  @ApiProperty({ example: 'K7QM-3XPD-9TRW', description: 'give to the resident; single use' }) code: string;
  @ApiProperty() expiresAt: Date;
}

// Crockford base32 without I, L, O, U: easy to read aloud and type from a letter.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ENROLMENT_TTL_MS = 30 * 86_400_000;

/** 12 symbols of 5 bits = 60 random bits, grouped for reading; single use and expiring. */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`;
}

export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

@ApiTags('roster')
@Controller('v1/municipalities/:municipalityId')
export class ProvisioningController {
  constructor(
    private readonly roster: RosterRepository,
    private readonly residentAuth: ResidentAuthRepository,
  ) {}

  /** A household receiver (専用戸別受信機): its secret is returned once and stored as an argon2id hash. */
  @Post('receivers')
  @Roles(Role.Operator)
  @Audit('receiver.provision', 'endpoint')
  @ApiCreatedResponse({ type: ReceiverCredentialsDto })
  async provision(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Body() body: ProvisionReceiverDto,
  ): Promise<ReceiverCredentialsDto> {
    await this.roster.households.get(mid, body.householdId);
    const serial = body.serial ?? `RX-${randomBytes(5).toString('hex').toUpperCase()}`;
    const secret = newSecret('rxs', 24);
    const endpoint = await this.roster.endpoints.create(mid, {
      householdId: body.householdId,
      channel: Channel.Receiver,
      address: serial,
      secretHash: hashDeviceSecret(secret),
      status: EndpointStatus.Active,
      label: body.label ?? null,
    });
    return { id: endpoint.id, serial, secret };
  }

  @Post('receivers/:id/secret')
  @Roles(Role.Operator)
  @Audit('receiver.rotate_secret', 'endpoint')
  @ApiCreatedResponse({ type: ReceiverCredentialsDto })
  async rotate(
    @Param('municipalityId', ParseUUIDPipe) mid: string,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ReceiverCredentialsDto> {
    const endpoint = await this.roster.endpoints.get(mid, id);
    if (endpoint.channel !== Channel.Receiver) throw new NotFoundError('receiver', id);
    const secret = newSecret('rxs', 24);
    await this.roster.endpoints.update(mid, id, { secretHash: hashDeviceSecret(secret) });
    return { id, serial: endpoint.address, secret };
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
    await this.roster.residents.get(mid, residentId);
    const code = newEnrolmentCode();
    const expiresAt = new Date(Date.now() + ENROLMENT_TTL_MS);
    const row = await this.residentAuth.createEnrolmentCode(
      residentId,
      mid,
      sha256(normaliseEnrolmentCode(code)),
      expiresAt,
    );
    req.auditTargetIds = [row.id];
    return { code, expiresAt };
  }
}
