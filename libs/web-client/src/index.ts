/**
 * The typed client of bousai's api for the web apps. `openapi.d.ts` beside this file is generated from the
 * committed `openapi.json` (`npm run web:client`, run by `check` and every web build) and never committed, so a
 * contract change that a screen does not follow breaks the type check and the build, not the operator.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi';

export type { components, paths };
export * from './i18n';
export * from './navigation';
export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

/** Every api error body: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The error of a failed call as an `ApiError`, whatever the body was (a proxy's HTML page included). */
export function apiError(response: Response, body: unknown): ApiError {
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  return error && typeof error.code === 'string'
    ? new ApiError(response.status, error.code, error.message)
    : new ApiError(response.status, 'HTTP_' + String(response.status), response.statusText);
}

/** Where a client gets its access token: the current one, or a renewed one after the api refused it. */
export interface AccessTokens {
  current(): Promise<string | undefined>;
  renew(): Promise<string | undefined>;
}

/**
 * A client on the page's own origin. With `tokens`, each call carries the operator's access token and a call the
 * api answers 401 is tried once more with a renewed token.
 */
export function createApiClient(tokens?: AccessTokens): ApiClient {
  const authed = async (request: Request): Promise<Response> => {
    const retry = request.clone();
    const send = (req: Request, token: string | undefined) => {
      if (token) req.headers.set('Authorization', `Bearer ${token}`);
      return fetch(req);
    };
    const first = await send(request, await tokens?.current());
    if (first.status !== 401 || !tokens) return first;
    const renewed = await tokens.renew();
    return renewed ? send(retry, renewed) : first;
  };
  return createClient<paths>({ baseUrl: '', credentials: 'same-origin', fetch: authed });
}

/** The data of a call, or its error thrown as an `ApiError` (for TanStack Query's error states). */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw apiError(response, error);
  return data as T;
}
