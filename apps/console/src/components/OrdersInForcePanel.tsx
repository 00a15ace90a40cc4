import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { session } from '../session';
import { DataTable } from './DataTable';
import { Panel } from './Panel';
import { QueryState } from './QueryState';

const REFRESH_MS = 15_000;

/** What is in force now, per district: one query every screen that shows it shares. */
export function useOrdersInForce(municipalityId: string) {
  return useQuery({
    queryKey: ['evacuation-orders', municipalityId, 'in-force'],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-orders/in-force', {
          params: { path: { municipalityId } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
}

/** Evacuation orders in force per district: the highest level, its hazard, since when, whom it concerns. */
export function OrdersInForcePanel({ municipalityId }: { municipalityId: string }) {
  const { t, dateTime, label } = useI18n();
  const query = useOrdersInForce(municipalityId);
  return (
    <Panel id="orders-in-force" title="ordersInForceTitle">
      <QueryState query={query} empty="ordersInForceEmpty">
        {(districts) => (
          <DataTable
            rows={districts}
            rowKey={(d) => d.areaId}
            className="orders-in-force"
            columns={[
              { header: 'ordersDistrict', rowHeader: true, cell: (d) => d.name },
              {
                header: 'ordersLevel',
                cell: (d) => (
                  <span className={`level level-${d.level}`}>{label('level', String(d.level))}</span>
                ),
              },
              { header: 'ordersHazard', cell: (d) => label('hazard', d.hazard) },
              { header: 'ordersSince', cell: (d) => (d.since ? dateTime(d.since) : '—') },
              { header: 'ordersHouseholds', numeric: true, cell: (d) => d.households },
              { header: 'ordersPeople', numeric: true, cell: (d) => d.people },
              {
                header: 'ordersOrders',
                cell: (d) => (
                  <ul className="plain">
                    {d.orders.map((o) => (
                      <li key={o.orderId}>
                        <Link to={`/orders/${o.orderId}`}>
                          {t('ordersDetailTitle', {
                            level: label('level', String(o.level)),
                            hazard: label('hazard', o.hazard),
                          })}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}
