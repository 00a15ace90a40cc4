import type { ApiConfig } from '@bousai/config';
import type { Request } from 'express';

/** The api's address as the public reaches it: `PUBLIC_BASE_URL`, else the request's own host. */
export function publicBaseUrl(config: Pick<ApiConfig, 'PUBLIC_BASE_URL'>, req: Request): string {
  return (config.PUBLIC_BASE_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(
    /\/+$/,
    '',
  );
}
