import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Req,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/access.decorators';
import { VisitorThrottle } from './visitor-throttle';
import { VisitorSubscriptionsUseCase } from './visitor-subscriptions.use-case';
import {
  PublicDistrictDto,
  VisitorChangeDto,
  VisitorSubscribeDto,
  VisitorSubscriptionCreatedDto,
  VisitorSubscriptionDto,
} from './visitors.dto';

const SECRET_HEADER = 'x-visitor-secret';
const SECRET_DOC = {
  name: 'X-Visitor-Secret',
  required: true,
  description: 'the secret returned once by the subscription',
};

/**
 * Deliberately unauthenticated: visitors and family elsewhere subscribe a browser to the public alerts of chosen
 * districts without enrolment. Nothing personal is taken; each change counts against the client address's rate
 * limit; the holder's secret (hashed at rest) guards reading, changing and removing.
 */
@ApiTags('public')
@Controller('v1/public/municipalities/:code')
export class VisitorsController {
  constructor(
    private readonly useCase: VisitorSubscriptionsUseCase,
    private readonly throttle: VisitorThrottle,
  ) {}

  @Get('districts')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOkResponse({ type: [PublicDistrictDto] })
  districts(@Param('code') code: string): Promise<PublicDistrictDto[]> {
    return this.useCase.districts(code);
  }

  @Post('visitor-subscriptions')
  @Public()
  @ApiOperation({
    summary: 'Subscribe a browser to public alerts (no enrolment; re-subscribing the endpoint replaces it)',
  })
  @ApiCreatedResponse({ type: VisitorSubscriptionCreatedDto })
  async subscribe(
    @Param('code') code: string,
    @Body() body: VisitorSubscribeDto,
    @Req() req: Request,
  ): Promise<VisitorSubscriptionCreatedDto> {
    await this.throttle.consume(req.ip ?? 'unknown');
    return this.useCase.subscribe(code, body);
  }

  @Get('visitor-subscriptions/:id')
  @Public()
  @ApiHeader(SECRET_DOC)
  @ApiOkResponse({ type: VisitorSubscriptionDto })
  get(
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers(SECRET_HEADER) secret: string | undefined,
  ): Promise<VisitorSubscriptionDto> {
    return this.useCase.get(code, id, secret);
  }

  @Patch('visitor-subscriptions/:id')
  @Public()
  @ApiHeader(SECRET_DOC)
  @ApiOkResponse({ type: VisitorSubscriptionDto })
  async change(
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers(SECRET_HEADER) secret: string | undefined,
    @Body() body: VisitorChangeDto,
    @Req() req: Request,
  ): Promise<VisitorSubscriptionDto> {
    await this.throttle.consume(req.ip ?? 'unknown');
    return this.useCase.change(code, id, secret, body);
  }

  @Delete('visitor-subscriptions/:id')
  @Public()
  @HttpCode(204)
  @ApiHeader(SECRET_DOC)
  @ApiNoContentResponse({ description: 'removed: nothing more is sent to the browser' })
  async remove(
    @Param('code') code: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers(SECRET_HEADER) secret: string | undefined,
    @Req() req: Request,
  ): Promise<void> {
    await this.throttle.consume(req.ip ?? 'unknown');
    await this.useCase.remove(code, id, secret);
  }
}
