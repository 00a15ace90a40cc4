import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Route, Routes } from 'react-router';
import { ApiError, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { OrdersInForcePanel } from '../../components/OrdersInForcePanel';
import { Panel } from '../../components/Panel';
import { OpenHandoffsPanel } from './Handoffs';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { OrderDetailScreen } from './OrderDetail';
import {
  canCommand,
  type Hazard,
  HAZARDS,
  type Level,
  LEVELS,
  type Order,
  useDistricts,
  useOrderCommand,
  useOrders,
} from './orderCommands';
import {
  CommandResult,
  OrderConfirmDialog,
  OrderDistricts,
  useCreatorName,
  useOrderName,
  useReloadOrders,
} from './OrderParts';

/** `/orders` and `/orders/:orderId`: evacuation orders (避難情報) and the detail of one. */
export function OrdersScreen({ municipalityId, role }: { municipalityId: string; role: string }) {
  return (
    <Routes>
      <Route index element={<OrdersList municipalityId={municipalityId} role={role} />} />
      <Route path=":orderId" element={<OrderDetailScreen municipalityId={municipalityId} role={role} />} />
    </Routes>
  );
}

function OrdersList({ municipalityId, role }: { municipalityId: string; role: string }) {
  const { t } = useI18n();
  const orders = useOrders(municipalityId);
  const commands = useOrderCommand(municipalityId);
  const reload = useReloadOrders(municipalityId, commands.reset);
  const mayCommand = canCommand(role);
  const byStatus = (statuses: Order['status'][]) => ({
    ...orders,
    data: orders.data?.filter((o) => statuses.includes(o.status)),
  });
  return (
    <>
      <h1>{t('ordersTitle')}</h1>
      {!mayCommand && <p className="notice">{t('ordersReadOnly')}</p>}
      <CommandResult outcome={commands.outcome} onReload={reload} />
      <div className="orders-grid">
        <OrdersInForcePanel municipalityId={municipalityId} />
        <OpenHandoffsPanel municipalityId={municipalityId} />
        <Panel id="orders-drafts" title="ordersDraftsTitle">
          <QueryState query={byStatus(['draft']) as typeof orders} empty="ordersDraftsEmpty">
            {(rows) => <OrderTable rows={rows} commands={mayCommand ? commands : undefined} />}
          </QueryState>
        </Panel>
        <Panel id="orders-issued" title="ordersIssuedTitle">
          <QueryState query={byStatus(['issued']) as typeof orders} empty="ordersIssuedEmpty">
            {(rows) => <OrderTable rows={rows} />}
          </QueryState>
        </Panel>
        {mayCommand && <NewOrderForm municipalityId={municipalityId} />}
        <Panel id="orders-ended" title="ordersEndedTitle">
          <QueryState
            query={byStatus(['lifted', 'retracted', 'discarded']) as typeof orders}
            empty="ordersEndedEmpty"
          >
            {(rows) => <OrderTable rows={rows} />}
          </QueryState>
        </Panel>
      </div>
    </>
  );
}

function OrderTable({ rows, commands }: { rows: Order[]; commands?: ReturnType<typeof useOrderCommand> }) {
  const { t, dateTime, label } = useI18n();
  const name = useOrderName();
  const creator = useCreatorName();
  const [discarding, setDiscarding] = useState<Order | undefined>();
  return (
    <>
      <DataTable
        rows={rows}
        rowKey={(o) => o.id}
        columns={[
          {
            header: 'ordersLevel',
            rowHeader: true,
            cell: (o) => <Link to={`/orders/${o.id}`}>{name(o)}</Link>,
          },
          { header: 'ordersDistricts', cell: (o) => <OrderDistricts order={o} /> },
          { header: 'ordersStatus', cell: (o) => label('orderStatus', o.status) },
          {
            header: 'ordersSource',
            cell: (o) =>
              o.source === 'feed' ? (
                <>
                  <span className="badge">{creator(o)}</span>
                  {o.sourceDocumentId && (
                    <span className="detail"> {t('ordersDocument', { id: o.sourceDocumentId })}</span>
                  )}
                </>
              ) : (
                creator(o)
              ),
          },
          { header: 'ordersCreated', cell: (o) => dateTime(o.createdAt) },
          { header: 'ordersSince', cell: (o) => (o.issuedAt ? dateTime(o.issuedAt) : '—') },
          ...(commands
            ? [
                {
                  header: 'ordersActions' as const,
                  cell: (o: Order) => (
                    <div className="actions">
                      <button
                        type="button"
                        disabled={commands.busy}
                        aria-label={`${t('ordersIssue')}: ${name(o)}`}
                        onClick={() => commands.run(o, { kind: 'issue' })}
                      >
                        {t('ordersIssue')}
                      </button>
                      <button
                        type="button"
                        disabled={commands.busy}
                        aria-label={`${t('ordersDiscard')}: ${name(o)}`}
                        onClick={() => setDiscarding(o)}
                      >
                        {t('ordersDiscard')}
                      </button>
                    </div>
                  ),
                },
              ]
            : []),
        ]}
      />
      {commands && (
        <OrderConfirmDialog
          open={discarding !== undefined}
          title="ordersDiscardConfirmTitle"
          confirm="ordersDiscardDo"
          tone="plain"
          busy={commands.busy}
          onClose={() => setDiscarding(undefined)}
          onConfirm={() => {
            if (discarding) commands.run(discarding, { kind: 'discard' });
            setDiscarding(undefined);
          }}
        >
          <p>{discarding && t('ordersDiscardConfirm', { order: name(discarding) })}</p>
        </OrderConfirmDialog>
      )}
    </>
  );
}

/** A new order is a draft: hazard, level (3/4/5 with their official names), districts or the whole town. */
function NewOrderForm({ municipalityId }: { municipalityId: string }) {
  const { t, label } = useI18n();
  const districts = useDistricts(municipalityId);
  const queries = useQueryClient();
  const [hazard, setHazard] = useState<Hazard>('flood');
  const [level, setLevel] = useState<Level>(4);
  const [whole, setWhole] = useState(false);
  const [codes, setCodes] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [created, setCreated] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/evacuation-orders', {
          params: { path: { municipalityId } },
          body: whole ? { hazard, level, wholeMunicipality: true } : { hazard, level, districtCodes: codes },
        }),
      ),
    onSuccess: () => {
      setCreated(true);
      setCodes([]);
      void queries.invalidateQueries({ queryKey: ['evacuation-orders', municipalityId] });
    },
    onError: (error) =>
      setProblem(
        t('ordersFailed', {
          code: error instanceof ApiError ? error.code : 'NETWORK',
          message: error.message,
        }),
      ),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(false);
    setProblem(undefined);
    if (!whole && codes.length === 0) {
      setProblem(t('ordersPickDistrict'));
      return;
    }
    create.mutate();
  };
  const toggle = (code: string, on: boolean) =>
    setCodes((now) => (on ? [...now, code] : now.filter((c) => c !== code)));
  return (
    <Panel id="orders-new" title="ordersNewTitle">
      <form className="order-form" onSubmit={submit}>
        <p>
          <label htmlFor="order-hazard">{t('ordersHazard')}</label>
          <select id="order-hazard" value={hazard} onChange={(e) => setHazard(e.target.value as Hazard)}>
            {HAZARDS.map((h) => (
              <option key={h} value={h}>
                {label('hazard', h)}
              </option>
            ))}
          </select>
        </p>
        <fieldset>
          <legend>{t('ordersLevel')}</legend>
          {LEVELS.map((l) => (
            <label key={l} className="choice">
              <input type="radio" name="order-level" checked={level === l} onChange={() => setLevel(l)} />{' '}
              {label('level', String(l))}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('ordersScope')}</legend>
          <label className="choice">
            <input type="radio" name="order-scope" checked={!whole} onChange={() => setWhole(false)} />{' '}
            {t('ordersScopeDistricts')}
          </label>
          <label className="choice">
            <input type="radio" name="order-scope" checked={whole} onChange={() => setWhole(true)} />{' '}
            {t('ordersScopeWhole')}
          </label>
        </fieldset>
        {!whole && (
          <fieldset>
            <legend>{t('ordersDistricts')}</legend>
            <QueryState query={districts} empty="ordersNoAreas">
              {(list) =>
                list.map((d) => (
                  <label key={d.code} className="choice">
                    <input
                      type="checkbox"
                      checked={codes.includes(d.code)}
                      onChange={(e) => toggle(d.code, e.target.checked)}
                    />{' '}
                    {t('ordersDistrictOption', { name: d.name, households: d.households })}
                  </label>
                ))
              }
            </QueryState>
          </fieldset>
        )}
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        {created && (
          <p role="status" className="notice">
            {t('ordersCreated_')}
          </p>
        )}
        <button type="submit" disabled={create.isPending}>
          {t('ordersCreate')}
        </button>
      </form>
    </Panel>
  );
}
