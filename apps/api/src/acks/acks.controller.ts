import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { NotAudited } from '../audit/audit.decorator';
import { Public, ResidentAccess } from '../auth/access.decorators';
import { CurrentResident, type ResidentCaller } from '../auth/principal';
import { AckResultDto, AcksDto, AcksResultDto, SignedAckDto } from './acks.dto';
import { type AckOutcome, RecordAcksUseCase } from './record-acks.use-case';

const ACKS_ARE_THEIR_OWN_RECORD =
  'device telemetry: the delivery row keeps which device acknowledged and when, by server and device clock';

/** The answer to a resident's acks (also served before express: `ackDeviceRoutes`). */
export function residentAcksAnswer(results: AckOutcome[]): AcksResultDto {
  return { recorded: results.filter((r) => r.recorded).length, results };
}

/** The answer to an ack by signed token (also served before express: `ackDeviceRoutes`). */
export function signedAckAnswer(acks: RecordAcksUseCase, body: SignedAckDto): Promise<AckResultDto> {
  return acks.byToken(body.token, { stage: body.stage, deviceAt: body.deviceAt });
}

/**
 * Delivery acknowledgements from residents' apps and the PWA. Every answer is given only once the acks are
 * durable (group commit, ≤100 ms); a 503 `UNAVAILABLE` means nothing of the request may be assumed recorded, and
 * repeating it is harmless. The usual, well-formed request to either route is served before express by
 * `ackDeviceRoutes` (docs/performance.md, "One ack per request"); these declarations stay its documented contract
 * and serve every other request.
 */
@ApiTags('acks')
@Controller('v1/acks')
export class AcksController {
  constructor(private readonly acks: RecordAcksUseCase) {}

  @Post()
  @ResidentAccess()
  @NotAudited(ACKS_ARE_THEIR_OWN_RECORD)
  @HttpCode(200)
  @ApiOperation({ summary: "acknowledge deliveries to the resident's own devices (delivered, read)" })
  @ApiOkResponse({ type: AcksResultDto, description: 'recorded durably; per-ack results in request order' })
  @ApiServiceUnavailableResponse({ description: 'UNAVAILABLE: not recorded, try again' })
  async byResident(@CurrentResident() me: ResidentCaller, @Body() body: AcksDto): Promise<AcksResultDto> {
    return residentAcksAnswer(await this.acks.byResident(me.residentId, body.acks));
  }

  /** Deliberately public: the signed per-delivery token in the body is the credential. */
  @Post('signed')
  @Public()
  @NotAudited(ACKS_ARE_THEIR_OWN_RECORD)
  @HttpCode(200)
  @ApiOperation({ summary: 'acknowledge one delivery with the ackToken its push message carried' })
  @ApiOkResponse({ type: AckResultDto, description: 'recorded durably' })
  @ApiUnauthorizedResponse({ description: 'TOKEN_INVALID (forged, altered) or TOKEN_EXPIRED' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: the delivery no longer exists' })
  @ApiServiceUnavailableResponse({ description: 'UNAVAILABLE: not recorded, try again' })
  bySignedToken(@Body() body: SignedAckDto): Promise<AckResultDto> {
    return signedAckAnswer(this.acks, body);
  }
}
