import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { session } from '../session';
import { DataTable } from './DataTable';
import { Panel } from './Panel';
import { QueryState } from './QueryState';

const REFRESH_MS = 15_000;

/** The shelters open now with how crowded they are and how many people are there. */
export function OpenSheltersPanel({ municipalityId }: { municipalityId: string }) {
  const { dateTime, label } = useI18n();
  const query = useQuery({
    queryKey: ['shelters', municipalityId, 'open'],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/shelters', {
          params: { path: { municipalityId }, query: { status: 'open' } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  return (
    <Panel id="open-shelters" title="sheltersOpenTitle">
      <QueryState query={query} empty="sheltersOpenEmpty">
        {(shelters) => (
          <DataTable
            rows={shelters}
            rowKey={(s) => s.id}
            columns={[
              { header: 'sheltersName', rowHeader: true, cell: (s) => s.name },
              {
                header: 'sheltersCrowding',
                cell: (s) =>
                  s.crowding ? (
                    <span className={`crowding crowding-${s.crowding}`}>{label('crowding', s.crowding)}</span>
                  ) : (
                    '—'
                  ),
              },
              { header: 'sheltersHeadCount', numeric: true, cell: (s) => s.headCount },
              { header: 'sheltersCapacity', numeric: true, cell: (s) => s.capacity ?? '—' },
              { header: 'sheltersOpenedAt', cell: (s) => (s.openedAt ? dateTime(s.openedAt) : '—') },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}
