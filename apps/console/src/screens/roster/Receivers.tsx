import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { Pager, usePager } from './Pager';

const PAGE = 50;
const REFRESH_MS = 30_000;

/** Household receivers (専用戸別受信機) with what their heartbeats last reported. */
export function ReceiversPanel({ municipalityId }: { municipalityId: string }) {
  const { t, label, dateTime } = useI18n();
  const pager = usePager();
  const receivers = useQuery({
    queryKey: ['receivers', municipalityId, pager.cursor],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/endpoints', {
          params: {
            path: { municipalityId },
            query: { channel: 'receiver', limit: PAGE, cursor: pager.cursor },
          },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
  return (
    <Panel id="roster-receivers" title="rosterReceiversTitle">
      <QueryState query={receivers} empty="rosterReceiversEmpty" isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <>
            <DataTable
              rows={page.items}
              rowKey={(r) => r.id}
              columns={[
                { header: 'rosterSerial', cell: (r) => r.address, rowHeader: true },
                { header: 'rosterLabel', cell: (r) => r.label ?? '' },
                { header: 'rosterStatus', cell: (r) => label('rosterEndpointStatus', r.status) },
                {
                  header: 'rosterHeartbeat',
                  cell: (r) => (r.lastSeenAt ? dateTime(r.lastSeenAt) : t('rosterNever')),
                },
                {
                  header: 'rosterBattery',
                  numeric: true,
                  cell: (r) => (r.batteryPercent === null ? '—' : `${r.batteryPercent} %`),
                },
                {
                  header: 'rosterSignal',
                  numeric: true,
                  cell: (r) => (r.signalDbm === null ? '—' : `${r.signalDbm} dBm`),
                },
                { header: 'rosterFirmware', cell: (r) => r.firmware ?? '' },
              ]}
            />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </QueryState>
    </Panel>
  );
}
