import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { session } from '../session';
import { DataTable } from './DataTable';
import { Panel } from './Panel';
import { QueryState } from './QueryState';

const REFRESH_MS = 15_000;

/** Draft evacuation orders waiting for a decision, those the feeds proposed first, each linking to its order. */
export function DraftOrdersPanel({ municipalityId }: { municipalityId: string }) {
  const { t, label, dateTime } = useI18n();
  const query = useQuery({
    queryKey: ['evacuation-orders', municipalityId, 'drafts'],
    queryFn: async () => {
      const drafts = await unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-orders', {
          params: { path: { municipalityId }, query: { status: 'draft' } },
        }),
      );
      return [...drafts].sort((a, b) =>
        a.source === b.source ? b.createdAt.localeCompare(a.createdAt) : a.source === 'feed' ? -1 : 1,
      );
    },
    refetchInterval: REFRESH_MS,
  });
  return (
    <Panel id="now-drafts" title="nowDraftsTitle">
      <QueryState query={query} empty="nowDraftsEmpty">
        {(drafts) => (
          <DataTable
            rows={drafts}
            rowKey={(o) => o.id}
            columns={[
              {
                header: 'nowDraftsOrder',
                rowHeader: true,
                cell: (o) => (
                  <Link to={`/orders/${o.id}`}>
                    {t('ordersDetailTitle', {
                      level: label('level', String(o.level)),
                      hazard: label('hazard', o.hazard),
                    })}
                  </Link>
                ),
              },
              {
                header: 'ordersDistrict',
                cell: (o) =>
                  o.wholeMunicipality ? t('ordersWhole') : o.districts.map((d) => d.name).join('、'),
              },
              {
                header: 'nowDraftsSource',
                cell: (o) =>
                  o.source === 'feed' ? (
                    <span className="badge">{t('ordersByFeed')}</span>
                  ) : (
                    (o.createdByName ?? t('ordersFromOperator'))
                  ),
              },
              { header: 'ordersAt', cell: (o) => dateTime(o.createdAt) },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}
