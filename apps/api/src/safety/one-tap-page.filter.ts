import { Catch } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiExceptionFilter, type ErrorBody } from '../errors/api-exception.filter';
import { errorPage, ONE_TAP_HEADERS, pageLanguage } from './one-tap.page';

/**
 * Errors of the one-tap link routes: a resident's browser gets a page in their language with the same status
 * the JSON answer has (expired or invalid link 401, wrong answer for the link 403, nothing to answer 404, …); an
 * API client — one that asks for `application/json`, or sends JSON (a browser's link or form never does) — gets
 * the usual `{ error: { code, message, details } }`.
 */
@Catch()
export class OneTapPageFilter extends ApiExceptionFilter {
  protected override send(req: Request, res: Response, status: number, body: ErrorBody): void {
    if (req.is('application/json') || req.accepts(['text/html', 'application/json']) === 'application/json') {
      super.send(req, res, status, body);
      return;
    }
    res
      .status(status)
      .set(ONE_TAP_HEADERS)
      .send(errorPage(pageLanguage(req), body.error.code));
  }
}
