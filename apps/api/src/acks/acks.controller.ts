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
import { RecordAcksUseCase } from './record-acks.use-case';

const ACKS_ARE_THEIR_OWN_RECORD =
  'device telemetry: the delivery row keeps which device acknowledged and when, by server and device clock';

/**
 * Delivery acknowledgements from residents' apps and the PWA. Every answer is given only once the acks are
 * durable (group commit, ≤100 ms); a 503 `UNAVAILABLE` means nothing of the request may be assumed recorded, and
 * repeating it is harmless.
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
    const results = await this.acks.byResident(me.residentId, body.acks);
    return { recorded: results.filter((r) => r.recorded).length, results };
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
    return this.acks.byToken(body.token, { stage: body.stage, deviceAt: body.deviceAt });
  }
}
