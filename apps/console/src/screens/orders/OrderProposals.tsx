import { useQuery } from '@tanstack/react-query';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { useI18n } from '../../i18n';
import { session } from '../../session';

type Proposal = Schemas['EvacuationProposalDto'];

/**
 * JMA's proposals to lower or lift this order (the feeds record one when a telegram lowers or ends what the order
 * answers), settled ones included: who dismissed it, or whose level or lift step applied it, by name. Shown only
 * when the order has any.
 */
export function OrderProposals({ municipalityId, orderId }: { municipalityId: string; orderId: string }) {
  const { t, dateTime, label } = useI18n();
  const query = useQuery({
    queryKey: ['evacuation-orders', municipalityId, 'proposals', orderId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-orders/proposals', {
          params: { path: { municipalityId }, query: { orderId } },
        }),
      ),
  });
  if (!query.data || query.data.length === 0) return null;
  const outcome = (p: Proposal) => {
    if (p.dismissedAt) {
      return t('ordersProposalDismissed', { at: dateTime(p.dismissedAt), by: p.dismissedByName ?? '—' });
    }
    if (p.appliedAt) {
      return t('ordersProposalApplied', { at: dateTime(p.appliedAt), by: p.appliedByName ?? '—' });
    }
    return t('ordersProposalOpen');
  };
  return (
    <Panel id="order-proposals" title="ordersProposals">
      <DataTable
        rows={query.data}
        rowKey={(p) => p.id}
        className="order-proposals"
        columns={[
          {
            header: 'ordersProposal',
            rowHeader: true,
            cell: (p) =>
              t(p.kind === 'lift' ? 'ordersProposalLift' : 'ordersProposalLower', {
                level: label('level', String(p.level)),
              }),
          },
          { header: 'ordersProposalReceived', cell: (p) => dateTime(p.createdAt) },
          { header: 'ordersProposalOutcome', cell: outcome },
        ]}
      />
    </Panel>
  );
}
