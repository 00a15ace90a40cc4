import type { Response, Test } from 'supertest';
import { expectMatchesOpenApi, OpenApiContract } from './openapi-contract';

const METHODS: Record<string, string> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  del: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
};

/** The parts of a supertest response the contract looks at. */
export function received(method: string, url: string, res: Response) {
  return {
    method,
    url,
    status: res.status,
    contentType: res.headers['content-type'] as string | undefined,
    body: res.body as unknown,
    text: res.text,
  };
}

/**
 * A supertest client whose every request also checks its answer against openapi.json (success and error bodies
 * alike): a test that receives a body its operation's schema does not describe fails, naming the difference.
 */
export function validatingClient<T extends object>(
  http: T,
  contract: OpenApiContract = OpenApiContract.load(),
): T {
  return new Proxy(http, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      const method = typeof prop === 'string' ? METHODS[prop] : undefined;
      if (!method || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]): Test => {
        const test = (value as (url: string, ...rest: unknown[]) => Test).call(target, url, ...rest);
        return test.expect((res: Response) =>
          expectMatchesOpenApi(received(method, url, res), undefined, contract),
        );
      };
    },
  });
}
