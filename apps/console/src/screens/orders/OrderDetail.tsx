import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { type MessageKey, useI18n } from '../../i18n';
import {
  canCommand,
  type Level,
  LEVELS,
  type OrderDetail,
  useDistricts,
  useOrder,
  useOrderCommand,
} from './orderCommands';
import { OrderHandoffs } from './Handoffs';
import { OrderProposals } from './OrderProposals';
import {
  CommandResult,
  OrderConfirmDialog,
  OrderDistricts,
  useCreatorName,
  useOrderName,
  useReloadOrders,
} from './OrderParts';

type Commands = ReturnType<typeof useOrderCommand>;

/** The three ways an order ends, each confirmed in its own words: 解除, 取消 (with a reason) and a draft discarded. */
const ENDINGS = {
  lift: {
    title: 'ordersLiftConfirmTitle',
    message: 'ordersLiftConfirm',
    confirm: 'ordersLiftDo',
    tone: 'lift',
  },
  retract: {
    title: 'ordersRetractConfirmTitle',
    message: 'ordersRetractConfirm',
    confirm: 'ordersRetractDo',
    tone: 'retract',
  },
  discard: {
    title: 'ordersDiscardConfirmTitle',
    message: 'ordersDiscardConfirm',
    confirm: 'ordersDiscardDo',
    tone: 'plain',
  },
} as const satisfies Record<
  string,
  { title: MessageKey; message: MessageKey; confirm: MessageKey; tone: string }
>;

/** One order: its districts with households, the commands its status allows, its history with each step's alert. */
export function OrderDetailScreen({ municipalityId, role }: { municipalityId: string; role: string }) {
  const { t } = useI18n();
  const { orderId = '' } = useParams();
  const query = useOrder(municipalityId, orderId);
  const commands = useOrderCommand(municipalityId);
  const reload = useReloadOrders(municipalityId, commands.reset);
  const name = useOrderName();
  return (
    <>
      <p>
        <Link to="/orders">{t('ordersBack')}</Link>
      </p>
      <QueryState query={query} empty="ordersHistoryEmpty" isEmpty={() => false}>
        {(order) => (
          <>
            <h1>{name(order)}</h1>
            <CommandResult outcome={commands.outcome} onReload={reload} />
            <div className="orders-grid">
              <Summary order={order} />
              {canCommand(role) && (order.status === 'draft' || order.status === 'issued') && (
                <OrderCommands municipalityId={municipalityId} order={order} commands={commands} />
              )}
              <OrderHandoffs municipalityId={municipalityId} orderId={order.id} role={role} />
              <OrderProposals municipalityId={municipalityId} orderId={order.id} />
              <History order={order} />
            </div>
          </>
        )}
      </QueryState>
    </>
  );
}

/** Who made the order's last step of this action (issued by, lifted by, …), by name. */
function stepBy(order: OrderDetail, action: OrderDetail['history'][number]['action']): string | null {
  const step = order.history.findLast((h) => h.action === action);
  return step ? (step.actorName ?? step.actorId) : null;
}

function Summary({ order }: { order: OrderDetail }) {
  const { t, dateTime, label } = useI18n();
  const creator = useCreatorName();
  const when = (value: string | null, action?: OrderDetail['history'][number]['action']) => {
    if (!value) return '—';
    const by = action ? stepBy(order, action) : null;
    return by ? t('ordersStepBy', { at: dateTime(value), by }) : dateTime(value);
  };
  return (
    <Panel id="order-summary" title="ordersSummary">
      <dl className="facts">
        <dt>{t('ordersStatus')}</dt>
        <dd className={`order-status order-status-${order.status}`}>{label('orderStatus', order.status)}</dd>
        <dt>{t('ordersLevel')}</dt>
        <dd>{label('level', String(order.level))}</dd>
        <dt>{t('ordersHazard')}</dt>
        <dd>{label('hazard', order.hazard)}</dd>
        <dt>{t('ordersSource')}</dt>
        <dd>
          {order.source === 'feed' ? t('ordersFromFeed') : t('ordersFromOperator')}
          {order.sourceDocumentId && (
            <span className="detail"> {t('ordersDocument', { id: order.sourceDocumentId })}</span>
          )}
        </dd>
        <dt>{t('ordersCreatedBy')}</dt>
        <dd data-testid="order-created-by">
          {t('ordersStepBy', { at: dateTime(order.createdAt), by: creator(order) })}
        </dd>
        <dt>{t('ordersIssuedAt')}</dt>
        <dd data-testid="order-issued">{when(order.issuedAt, 'issue')}</dd>
        {order.liftedAt && (
          <>
            <dt>{t('ordersLiftedAt')}</dt>
            <dd data-testid="order-lifted">{when(order.liftedAt, 'lift')}</dd>
          </>
        )}
        {order.retractedAt && (
          <>
            <dt>{t('ordersRetractedAt')}</dt>
            <dd>{when(order.retractedAt, 'retract')}</dd>
          </>
        )}
        <dt>{t('ordersVersion')}</dt>
        <dd>{order.version}</dd>
      </dl>
      {order.wholeMunicipality ? (
        <p>
          {t('ordersDistricts')}: <OrderDistricts order={order} />
        </p>
      ) : (
        <DataTable
          rows={order.districts}
          rowKey={(d) => d.areaId}
          columns={[
            { header: 'ordersDistrict', rowHeader: true, cell: (d) => d.name },
            { header: 'ordersHouseholds', numeric: true, cell: (d) => d.households },
            { header: 'ordersPeople', numeric: true, cell: (d) => d.people },
          ]}
        />
      )}
    </Panel>
  );
}

function OrderCommands({
  municipalityId,
  order,
  commands,
}: {
  municipalityId: string;
  order: OrderDetail;
  commands: Commands;
}) {
  const { t } = useI18n();
  const name = useOrderName();
  const [dialog, setDialog] = useState<keyof typeof ENDINGS | undefined>();
  const close = () => setDialog(undefined);
  return (
    <Panel id="order-commands" title="ordersCommands">
      {order.status === 'draft' ? (
        <div className="actions">
          <button
            type="button"
            disabled={commands.busy}
            onClick={() => commands.run(order, { kind: 'issue' })}
          >
            {t('ordersIssue')}
          </button>
          <button type="button" disabled={commands.busy} onClick={() => setDialog('discard')}>
            {t('ordersDiscard')}
          </button>
        </div>
      ) : (
        <>
          <LevelChange order={order} commands={commands} />
          {order.wholeMunicipality ? (
            <p className="detail">{t('ordersWholeNoDistricts')}</p>
          ) : (
            <DistrictChange municipalityId={municipalityId} order={order} commands={commands} />
          )}
          <h3>{t('ordersEnd')}</h3>
          <div className="order-end">
            {(['lift', 'retract'] as const).map((end) => (
              <div key={end} className={`order-end-choice order-end-${end}`}>
                <p>{t(end === 'lift' ? 'ordersLiftExplain' : 'ordersRetractExplain')}</p>
                <button
                  type="button"
                  className={`order-${end}`}
                  disabled={commands.busy}
                  onClick={() => setDialog(end)}
                >
                  {t(end === 'lift' ? 'ordersLift' : 'ordersRetract')}
                </button>
              </div>
            ))}
          </div>
        </>
      )}
      {dialog && (
        <OrderConfirmDialog
          open
          title={ENDINGS[dialog].title}
          confirm={ENDINGS[dialog].confirm}
          tone={ENDINGS[dialog].tone}
          reasonLabel={dialog === 'retract' ? 'ordersRetractReason' : undefined}
          busy={commands.busy}
          onClose={close}
          onConfirm={(reason) => {
            commands.run(order, dialog === 'retract' ? { kind: 'retract', reason } : { kind: dialog });
            close();
          }}
        >
          <p>{t(ENDINGS[dialog].message, { order: name(order) })}</p>
        </OrderConfirmDialog>
      )}
    </Panel>
  );
}

function LevelChange({ order, commands }: { order: OrderDetail; commands: Commands }) {
  const { t, label } = useI18n();
  const others = LEVELS.filter((l) => l !== order.level);
  const [level, setLevel] = useState<Level>(others[0] ?? order.level);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    commands.run(order, { kind: 'level', level });
  };
  return (
    <form className="order-form" onSubmit={submit}>
      <h3>{t('ordersChangeLevel')}</h3>
      <p>
        <label htmlFor="order-new-level">{t('ordersNewLevel')}</label>
        <select
          id="order-new-level"
          value={level}
          onChange={(e) => setLevel(Number(e.target.value) as Level)}
        >
          {others.map((l) => (
            <option key={l} value={l}>
              {`${t(l > order.level ? 'ordersRaise' : 'ordersLower')}: ${label('level', String(l))}`}
            </option>
          ))}
        </select>{' '}
        <button type="submit" disabled={commands.busy}>
          {t('ordersApplyLevel')}
        </button>
      </p>
    </form>
  );
}

function DistrictChange({
  municipalityId,
  order,
  commands,
}: {
  municipalityId: string;
  order: OrderDetail;
  commands: Commands;
}) {
  const { t } = useI18n();
  const districts = useDistricts(municipalityId);
  const [add, setAdd] = useState<string[]>([]);
  const [remove, setRemove] = useState<string[]>([]);
  const inOrder = new Set(order.districts.map((d) => d.code));
  const toggle = (set: typeof setAdd, code: string, on: boolean) =>
    set((now) => (on ? [...now, code] : now.filter((c) => c !== code)));
  return (
    <>
      <form
        className="order-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (add.length > 0) commands.run(order, { kind: 'districts', add });
          setAdd([]);
        }}
      >
        <fieldset>
          <legend>{t('ordersAddDistricts')}</legend>
          <QueryState
            query={districts}
            empty="ordersNothingToAdd"
            isEmpty={(list) => list.every((d) => inOrder.has(d.code))}
          >
            {(list) =>
              list
                .filter((d) => !inOrder.has(d.code))
                .map((d) => (
                  <label key={d.code} className="choice">
                    <input
                      type="checkbox"
                      checked={add.includes(d.code)}
                      onChange={(e) => toggle(setAdd, d.code, e.target.checked)}
                    />{' '}
                    {t('ordersDistrictOption', { name: d.name, households: d.households })}
                  </label>
                ))
            }
          </QueryState>
        </fieldset>
        <button type="submit" disabled={commands.busy || add.length === 0}>
          {t('ordersApplyAdd')}
        </button>
      </form>
      {order.districts.length > 1 && (
        <form
          className="order-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (remove.length > 0) commands.run(order, { kind: 'districts', remove });
            setRemove([]);
          }}
        >
          <fieldset>
            <legend>{t('ordersRemoveDistricts')}</legend>
            {order.districts.map((d) => (
              <label key={d.code} className="choice">
                <input
                  type="checkbox"
                  checked={remove.includes(d.code)}
                  onChange={(e) => toggle(setRemove, d.code, e.target.checked)}
                />{' '}
                {d.name}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={commands.busy || remove.length === 0}>
            {t('ordersApplyRemove')}
          </button>
        </form>
      )}
    </>
  );
}

function History({ order }: { order: OrderDetail }) {
  const { t, dateTime, label } = useI18n();
  const names = new Map(order.districts.map((d) => [d.code, d.name]));
  const districtNames = (codes: string[]) => codes.map((c) => names.get(c) ?? c).join('、');
  return (
    <Panel id="order-history" title="ordersHistory">
      {order.history.length === 0 ? (
        <p className="empty">{t('ordersHistoryEmpty')}</p>
      ) : (
        <DataTable
          rows={order.history}
          rowKey={(h) => String(h.version)}
          columns={[
            { header: 'ordersAt', cell: (h) => dateTime(h.at) },
            { header: 'ordersAction', rowHeader: true, cell: (h) => label('orderAction', h.action) },
            { header: 'ordersActor', cell: (h) => h.actorName ?? h.actorId },
            {
              header: 'ordersLevel',
              cell: (h) =>
                h.previousLevel && h.previousLevel !== h.level
                  ? `${h.previousLevel} → ${h.level}`
                  : String(h.level),
            },
            { header: 'ordersChanged', cell: (h) => districtNames(h.changedDistrictCodes) || '—' },
            {
              header: 'ordersMessage',
              cell: (h) => (h.messageKind ? label('orderMessage', h.messageKind) : t('ordersSilent')),
            },
            { header: 'ordersReason', cell: (h) => h.reason ?? '—' },
            {
              header: 'ordersAlert',
              cell: (h) =>
                h.alert ? <Link to={`/alerts/${h.alert.id}`}>{label('status', h.alert.status)}</Link> : '—',
            },
          ]}
        />
      )}
    </Panel>
  );
}
