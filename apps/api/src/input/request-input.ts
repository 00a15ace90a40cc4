import type { IncomingMessage } from 'node:http';
import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import iconv from 'iconv-lite';
import {
  DomainError,
  ErrorCode,
  findInputProblem,
  INPUT_PROBLEM_MESSAGE,
  InputProblem,
  MAX_INPUT_DEPTH,
} from '@bousai/domain';

/** The largest JSON body any route takes (an alert to 10,000 households is about 400 KB). */
export const JSON_BODY_LIMIT = '1mb';

/** Public routes that take much less than {@link JSON_BODY_LIMIT}: a body past its own bound is refused (413). */
const SMALL_BODY_ROUTES: readonly { path: RegExp; bytes: number }[] = [
  // a push subscription, up to 20 district ids and a language: well under 4 KB
  { path: /^\/v1\/public\/municipalities\/[^/?]+\/visitor-subscriptions(?:[/?]|$)/, bytes: 8 * 1024 },
];

/**
 * The JSON body parser's `verify` hook: the bounds of {@link SMALL_BODY_ROUTES}, then {@link refuseDeepJson}.
 */
export function verifyJsonBody(req: IncomingMessage, res: unknown, buf: Buffer, encoding: string): void {
  const route = SMALL_BODY_ROUTES.find((r) => r.path.test(req.url ?? ''));
  if (route && buf.length > route.bytes) {
    throw new DomainError(
      ErrorCode.PayloadTooLarge,
      `The body is larger than this route takes (${route.bytes} bytes)`,
      {
        limitBytes: route.bytes,
      },
    );
  }
  refuseDeepJson(req, res, buf, encoding);
}

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** How deep the JSON text nests arrays and objects, counting only brackets outside strings. */
export function jsonNestingDepth(text: Uint8Array | string): number {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) deepest = Math.max(deepest, ++depth);
    else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return deepest;
}

/**
 * The JSON body parser's `verify` hook: a body nested deeper than any we accept is refused before it is parsed,
 * so nothing behind the parser (class-transformer and class-validator recurse) can overflow the stack on it.
 */
export function refuseDeepJson(_req: IncomingMessage, _res: unknown, buf: Buffer, encoding: string): void {
  // brackets, quotes and backslashes are single bytes in UTF-8; other charsets are decoded first
  const text = /^utf-?8$/i.test(encoding) ? buf : iconv.decode(buf, encoding);
  if (jsonNestingDepth(text) > MAX_INPUT_DEPTH) {
    throw new DomainError(
      ErrorCode.ValidationFailed,
      `The JSON body ${INPUT_PROBLEM_MESSAGE[InputProblem.TooDeep]}`,
      [{ field: '(body)', problems: [INPUT_PROBLEM_MESSAGE[InputProblem.TooDeep]] }],
    );
  }
}

const WHERE: Partial<Record<ArgumentMetadata['type'], string>> = {
  body: 'body',
  query: 'query parameter',
  param: 'path parameter',
};

/**
 * Runs before validation on every body, query and path parameter: a string Postgres cannot store or that is
 * not Unicode (NUL, lone surrogate), a `__proto__` key or an absurd depth is a 400 that names the field, rather
 * than whatever the first library to trip on it throws.
 */
@Injectable()
export class InputTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const where = WHERE[metadata.type];
    if (!where) return value;
    const finding = findInputProblem(value, metadata.data ?? '');
    if (!finding) return value;
    const field = finding.path || `(${where})`;
    const problem = INPUT_PROBLEM_MESSAGE[finding.problem];
    throw new DomainError(ErrorCode.ValidationFailed, `Invalid request: ${field} (${problem})`, [
      { field, problems: [problem] },
    ]);
  }
}
