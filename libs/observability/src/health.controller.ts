import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Public } from './public.decorator';
import { ReadinessRegistry } from './readiness.registry';

class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

class CheckResultDto {
  @ApiProperty()
  ok: boolean;

  @ApiProperty({ description: 'Milliseconds the check took.' })
  ms: number;

  @ApiPropertyOptional({ example: 'connect ECONNREFUSED 127.0.0.1:6379' })
  error?: string;
}

class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(CheckResultDto) },
    example: { postgres: { ok: true, ms: 2 }, redis: { ok: false, ms: 1, error: 'Connection is closed.' } },
  })
  checks: Record<string, CheckResultDto>;
}

/** The part of the response this controller touches; keeps the library free of Express types. */
interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('ops')
@ApiExtraModels(CheckResultDto)
@Controller()
export class HealthController {
  constructor(private readonly registry: ReadinessRegistry) {}

  /** Liveness: the process serves HTTP. Deliberately checks nothing else, so a database outage never restarts it. */
  @Get('healthz')
  @Public()
  @ApiOkResponse({ type: LivenessDto, description: 'The process is up.' })
  liveness(): LivenessDto {
    return { status: 'ok' };
  }

  /** Readiness: every registered dependency answers; a load balancer stops routing here while one does not. */
  @Get('readyz')
  @Public()
  @ApiOkResponse({ type: ReadinessDto, description: 'Every dependency answers.' })
  @ApiServiceUnavailableResponse({
    type: ReadinessDto,
    description: 'At least one dependency does not answer.',
  })
  async readiness(@Res({ passthrough: true }) res: StatusResponse): Promise<ReadinessDto> {
    const report = await this.registry.report();
    res.status(report.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: report.ok ? 'ok' : 'unavailable', checks: report.checks };
  }
}
