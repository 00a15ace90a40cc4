import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NotFoundError } from '@bousai/domain';
import { Public } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import {
  confirmPage,
  donePage,
  EMAIL_TITLE,
  ONE_TAP_HEADERS,
  pageLanguage,
  pageText,
} from '../safety/one-tap.page';
import { OneTapPageFilter } from '../safety/one-tap-page.filter';
import { EmailConfirmationService } from './email-confirmation.service';

/**
 * The link in an address confirmation mail (deliberately public: the token is the credential). GET only shows a
 * page with one button, so a mail scanner or a link preview that fetches the URL confirms nothing; the button
 * POSTs the token, and that confirms. Works in a basic phone's browser: a plain form, no script. In the resident's
 * language; errors are pages too.
 */
@ApiTags('resident')
@Controller('v1/resident/email/confirm')
@UseFilters(OneTapPageFilter)
export class EmailConfirmationController {
  constructor(private readonly confirmation: EmailConfirmationService) {}

  @Get()
  @Public()
  @ApiProduces('text/html')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: 'a page with one button that confirms the address',
  })
  async show(
    @Query('token') token: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { residentId } = this.confirmation.verify(token);
    const lang = pageLanguage(req, await this.confirmation.residentLanguage(residentId));
    // set here, not by decorator: an API client's error keeps its JSON content type
    res.set(ONE_TAP_HEADERS);
    return confirmPage({
      lang,
      title: EMAIL_TITLE[lang],
      question: pageText(lang, 'emailQuestion'),
      action: 'confirm',
      fields: { token: String(token) },
      button: pageText(lang, 'emailButton'),
    });
  }

  @Post()
  @Public()
  @HttpCode(200)
  @Audit('endpoint.confirm_email', 'endpoint')
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'the address is confirmed' })
  async confirm(
    @Body() body: { token?: unknown },
    @Req() req: AuditedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { residentId, endpointId } = this.confirmation.verify(body?.token);
    if (!(await this.confirmation.confirm(residentId, endpointId)))
      throw new NotFoundError('endpoint', endpointId);
    req.auditTargetIds = [endpointId];
    const lang = pageLanguage(req, await this.confirmation.residentLanguage(residentId));
    res.set(ONE_TAP_HEADERS);
    return donePage(lang, EMAIL_TITLE[lang], pageText(lang, 'emailDone'));
  }
}
