import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorCode } from '@bousai/domain';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Every operation documents what it answers on success: a 2xx response whose content has a schema, or a 204 (no
 * body). Returns the operations that do not, as `METHOD /path (operationId)`, so a check can name them.
 */
export function operationsWithoutSuccessSchema(doc: Pick<OpenAPIObject, 'paths'>): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const successes = Object.entries(op.responses ?? {}).filter(([code]) => /^2\d\d$/.test(code));
      const documented = successes.some(([code, response]) => {
        if (code === '204') return true;
        const content = response && 'content' in response ? response.content : undefined;
        const media = Object.values(content ?? {});
        return media.length > 0 && media.every((m) => m.schema !== undefined);
      });
      if (!documented)
        missing.push(`${method.toUpperCase()} ${path} (${op.operationId ?? 'no operationId'})`);
    }
  }
  return missing;
}

export const ERROR_BODY_SCHEMA = 'ErrorBody';

/**
 * Every failure answers `{ error: { code, message, details } }` (the api's exception filter): the schema is added
 * once, given to each documented 4xx/5xx response, and to every operation as its `default` response.
 */
export function withErrorBodies(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas[ERROR_BODY_SCHEMA] = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        properties: {
          code: { type: 'string', enum: Object.values(ErrorCode) },
          message: { type: 'string' },
          details: {
            nullable: true,
            description: 'what the code needs to explain itself; null when nothing',
          },
        },
      },
    },
  };
  const content = { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY_SCHEMA}` } } };
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        if (/^[45]\d\d$/.test(code) && response && !('$ref' in response) && !response.content) {
          response.content = content;
        }
      }
      op.responses.default = { description: 'any failure', content };
    }
  }
  return doc;
}
