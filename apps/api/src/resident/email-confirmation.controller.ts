import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NotFoundError } from '@bousai/domain';
import { Public } from '../auth/access.decorators';
import { Audit } from '../audit/audit.decorator';
import type { AuditedRequest } from '../audit/audit.interceptor';
import { EmailConfirmationService } from './email-confirmation.service';

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>\n` +
    `<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`
  );
}

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
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'a page with one button that confirms the address' })
  show(@Query('token') token: unknown, @Res({ passthrough: true }) res: Response): string {
    this.confirmation.verify(token);
    // set here, not by decorator: an error keeps its JSON content type
    res.type('html');
    return page(
      'メールアドレスの確認 / Confirm your address',
      `<p>このアドレスに防災情報を受け取るには、下のボタンを押してください。<br>` +
        `Press the button to receive disaster alerts at this address.</p>\n` +
        `<form method="post" action="confirm"><input type="hidden" name="token" value="${escapeHtml(String(token))}">` +
        `<button type="submit">確認する / Confirm</button></form>`,
    );
  }

  @Post()
  @Public()
  @HttpCode(200)
  @Audit('endpoint.confirm_email', 'endpoint')
  @Header('cache-control', 'no-store')
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
    res.type('html');
    return page(
      '登録が完了しました / Address confirmed',
      '<p>このアドレスに防災情報をお送りします。<br>Disaster alerts will be sent to this address.</p>',
    );
  }
}
