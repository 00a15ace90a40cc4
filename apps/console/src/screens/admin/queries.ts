import { useQuery } from '@tanstack/react-query';
import { ApiError, unwrap } from '../../../../../libs/web-client/src';
import { session } from '../../session';

/** The municipality's operator accounts (admins only), shared by the accounts table and the audit log's actors. */
export function useAccounts(municipalityId: string) {
  return useQuery({
    queryKey: ['operators', municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/operators', {
          params: { path: { municipalityId } },
        }),
      ),
  });
}

export function failure(error: unknown): { code: string; message: string } {
  return error instanceof ApiError
    ? { code: error.code, message: error.message }
    : { code: 'NETWORK', message: String(error) };
}
