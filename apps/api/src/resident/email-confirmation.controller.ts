import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError } from '@bousai/domain';
import { Public } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { confirmPage, donePage, ONE_TAP_HEADERS } from '../safety/one-tap.page';
import { EmailConfirmationService } from './email-confirmation.service';

/**
 * The link in an address confirmation mail (deliberately public: the token is the credential). GET only shows a
 * page with one button, so a mail scanner or a link preview that fetches the URL confirms nothing; the button
 * POSTs the token, and that confirms. Works in a basic phone's browser: a plain form, no script.
 */
@ApiTags('resident')
@Controller('v1/resident/email/confirm')
export class EmailConfirmationController {
  constructor(private readonly confirmation: EmailConfirmationService) {}

  @Get()
  @Public()
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'a page with one button that confirms the address' })
  show(@Query('token') token: unknown, @Res({ passthrough: true }) res: Response): string {
    this.confirmation.verify(token);
    // set here, not by decorator: an error keeps its JSON content type
    res.set(ONE_TAP_HEADERS);
    return confirmPage({
      title: 'メールアドレスの確認 / Confirm your address',
      question:
        'このアドレスに防災情報を受け取るには、下のボタンを押してください。 ' +
        'Press the button to receive disaster alerts at this address.',
      action: 'confirm',
      fields: { token: String(token) },
      button: '確認する / Confirm',
    });
  }

  @Post()
  @Public()
  @HttpCode(200)
  @Audit('endpoint.confirm_email', 'endpoint')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the address is confirmed' })
  async confirm(
    @Body() body: { token?: unknown },
    @Req() req: AuditedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { residentId, endpointId } = this.confirmation.verify(body?.token);
    if (!(await this.confirmation.confirm(residentId, endpointId)))
      throw new NotFoundError('endpoint', endpointId);
    req.auditTargetIds = [endpointId];
    res.set(ONE_TAP_HEADERS);
    return donePage(
      '登録が完了しました / Address confirmed',
      'このアドレスに防災情報をお送りします。 Disaster alerts will be sent to this address.',
    );
  }
}
