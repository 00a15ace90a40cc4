import type { OpenAPIObject } from '@nestjs/swagger';
import { operationsWithoutSuccessSchema } from './openapi-document';

const schema = { $ref: '#/components/schemas/Thing' };

function doc(paths: OpenAPIObject['paths']): Pick<OpenAPIObject, 'paths'> {
  return { paths };
}

describe(operationsWithoutSuccessSchema.name, () => {
  it('accepts a 2xx response with a content schema, and a 204 without a body', () => {
    const sut = doc({
      '/things': {
        get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } },
        post: {
          responses: {
            '201': { description: 'made', content: { 'text/csv': { schema: { type: 'string' } } } },
          },
        },
      },
      '/things/{id}': { delete: { responses: { '204': { description: 'gone' } } } },
    });

    expect(operationsWithoutSuccessSchema(sut)).toEqual([]);
  });

  it('names every operation whose success answer has no schema, or which documents no success at all', () => {
    const sut = doc({
      '/things': {
        get: { operationId: 'ThingsController_list', responses: { '200': { description: 'things' } } },
        post: {
          operationId: 'ThingsController_create',
          responses: { '201': { description: 'made', content: { 'application/json': {} } } },
        },
        patch: {
          operationId: 'ThingsController_update',
          responses: { '401': { description: 'no token', content: { 'application/json': { schema } } } },
        },
      },
    });

    expect(operationsWithoutSuccessSchema(sut)).toEqual([
      'GET /things (ThingsController_list)',
      'POST /things (ThingsController_create)',
      'PATCH /things (ThingsController_update)',
    ]);
  });
});
