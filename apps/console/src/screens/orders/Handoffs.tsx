import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { apiError, type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { saveBlob } from '../../components/saveBlob';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { canCommand } from './orderCommands';

type Handoff = Schemas['EvacuationHandoffDto'];
type Item = Schemas['HandoffItemDto'];

const REFRESH_MS = 15_000;

/** The hand-off records (L-Alert, area mail) of the municipality, those with a warning first. */
export function useHandoffs(municipalityId: string) {
  return useQuery({
    queryKey: ['evacuation-handoffs', municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-handoffs', {
          params: { path: { municipalityId } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
}

/** Fetches a record's L-Alert file with the access token and saves it. */
async function saveLalert(
  municipalityId: string,
  handoff: Handoff,
  format: 'json' | 'csv',
): Promise<boolean> {
  const path = { municipalityId, id: handoff.id };
  const { data, error, response } =
    format === 'csv'
      ? await session.api.GET('/v1/municipalities/{municipalityId}/evacuation-handoffs/{id}/lalert.csv', {
          params: { path },
          parseAs: 'blob',
        })
      : await session.api.GET('/v1/municipalities/{municipalityId}/evacuation-handoffs/{id}/lalert.json', {
          params: { path },
          parseAs: 'blob',
        });
  if (!data) {
    console.warn(apiError(response, error).code);
    return false;
  }
  saveBlob(data, `lalert-${handoff.orderId}-v${handoff.version}.${format}`);
  return true;
}

function useSettle(municipalityId: string, handoff: Handoff) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (
      command:
        | { item: 'lalert' | 'area_mail'; kind: 'done'; note: string }
        | { item: 'area_mail'; kind: 'waive'; reason: string },
    ) => {
      const path = { municipalityId, id: handoff.id, item: command.item };
      return command.kind === 'done'
        ? unwrap(
            session.api.POST(
              '/v1/municipalities/{municipalityId}/evacuation-handoffs/{id}/items/{item}/done',
              {
                params: { path },
                body: command.note ? { note: command.note } : {},
              },
            ),
          )
        : unwrap(
            session.api.POST(
              '/v1/municipalities/{municipalityId}/evacuation-handoffs/{id}/items/{item}/waive',
              {
                params: { path },
                body: { reason: command.reason },
              },
            ),
          );
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['evacuation-handoffs', municipalityId] }),
  });
}

/** The 2018 failure: the area mail went out, L-Alert was never entered, so TV and radio never carried it. */
function HandoffWarning({ handoff }: { handoff: Handoff }) {
  const { t } = useI18n();
  if (!handoff.warnings.includes('lalert_missing_after_area_mail')) return null;
  return (
    <p role="alert" className="handoff-warning">
      {t('handoffLalertMissing')}
    </p>
  );
}

function ItemState({ item }: { item: Item | undefined }) {
  const { t, label, dateTime } = useI18n();
  if (!item) return <>—</>;
  return (
    <span className={`handoff-state handoff-state-${item.state}`}>
      {label('handoffState', item.state)}
      {item.state !== 'pending' && (
        <span className="detail">
          {' '}
          {t('handoffBy', { by: item.byName ?? item.by ?? '—', at: item.at ? dateTime(item.at) : '—' })}
          {item.note ? ` — ${item.note}` : ''}
        </span>
      )}
    </span>
  );
}

/** The checklist of every step of one order: L-Alert files, the area mail drafts, who settled what and when. */
export function OrderHandoffs({
  municipalityId,
  orderId,
  role,
}: {
  municipalityId: string;
  orderId: string;
  role: string;
}) {
  const query = useHandoffs(municipalityId);
  return (
    <Panel id="order-handoffs" title="handoffTitle">
      <QueryState
        query={query}
        empty="handoffEmpty"
        isEmpty={(list) => list.every((h) => h.orderId !== orderId)}
      >
        {(list) =>
          list
            .filter((h) => h.orderId === orderId)
            .sort((a, b) => b.version - a.version)
            .map((h) => <HandoffRecord key={h.id} municipalityId={municipalityId} handoff={h} role={role} />)
        }
      </QueryState>
    </Panel>
  );
}

function HandoffRecord({
  municipalityId,
  handoff,
  role,
}: {
  municipalityId: string;
  handoff: Handoff;
  role: string;
}) {
  const { t, dateTime } = useI18n();
  const settle = useSettle(municipalityId, handoff);
  const [failed, setFailed] = useState(false);
  const item = (target: Item['target']) => handoff.items.find((i) => i.target === target);
  const lalert = item('lalert');
  const areaMail = item('area_mail');
  const may = canCommand(role);
  const download = async (format: 'json' | 'csv') =>
    setFailed(!(await saveLalert(municipalityId, handoff, format)));
  return (
    <article className="handoff" aria-labelledby={`handoff-${handoff.id}`}>
      <h3 id={`handoff-${handoff.id}`}>
        {t('handoffRecord', {
          change: handoff.changeName,
          level: handoff.levelName,
          version: handoff.version,
          at: dateTime(handoff.changedAt),
        })}
      </h3>
      <p className="detail">{handoff.districtNames.join('、') || '—'}</p>
      <HandoffWarning handoff={handoff} />
      <section className="handoff-item" aria-label={t('handoffLalert')}>
        <h4>{t('handoffLalert')}</h4>
        <p>
          <ItemState item={lalert} />
        </p>
        <div className="actions">
          <button type="button" onClick={() => void download('csv')}>
            {t('handoffCsv')}
          </button>
          <button type="button" onClick={() => void download('json')}>
            {t('handoffJson')}
          </button>
        </div>
        {may && lalert?.state === 'pending' && (
          <DoneForm
            id={`handoff-note-lalert-${handoff.id}`}
            busy={settle.isPending}
            label="handoffLalertDone"
            onDone={(note) => settle.mutate({ item: 'lalert', kind: 'done', note })}
          />
        )}
        {failed && (
          <p role="alert" className="error">
            {t('handoffDownloadFailed')}
          </p>
        )}
      </section>
      <section className="handoff-item" aria-label={t('handoffAreaMail')}>
        <h4>{t('handoffAreaMail')}</h4>
        <p>
          <ItemState item={areaMail} />
        </p>
        <AreaMailDrafts municipalityId={municipalityId} handoff={handoff} />
        {may && areaMail?.state === 'pending' && (
          <AreaMailCommands
            id={handoff.id}
            busy={settle.isPending}
            onDone={(note) => settle.mutate({ item: 'area_mail', kind: 'done', note })}
            onWaive={(reason) => settle.mutate({ item: 'area_mail', kind: 'waive', reason })}
          />
        )}
      </section>
      {settle.isError && (
        <p role="alert" className="error">
          {t('handoffSettleFailed')}
        </p>
      )}
    </article>
  );
}

function AreaMailDrafts({ municipalityId, handoff }: { municipalityId: string; handoff: Handoff }) {
  const { t } = useI18n();
  const query = useQuery({
    queryKey: ['evacuation-handoffs', municipalityId, 'area-mail', handoff.id],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/evacuation-handoffs/{id}/area-mail', {
          params: { path: { municipalityId, id: handoff.id } },
        }),
      ),
    staleTime: Infinity,
  });
  return (
    <QueryState query={query} empty="handoffNoMail">
      {(drafts) => (
        <ol className="area-mail">
          {drafts.map((d, i) => (
            <li key={i}>
              <p>
                <strong>{t('handoffMailTitle')}</strong> {d.title}{' '}
                <span className="detail">{t('handoffChars', { n: [...d.title].length, max: 15 })}</span>
              </p>
              <p>
                <strong>{t('handoffMailBody')}</strong> {d.body}{' '}
                <span className="detail">{t('handoffChars', { n: [...d.body].length, max: 200 })}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </QueryState>
  );
}

/** The longest note the api keeps with an item marked done. */
const NOTE_MAX = 500;

/** Marks an item done, with an optional note (e.g. the receipt number of the prefecture's system). */
function DoneForm({
  id,
  busy,
  label,
  onDone,
}: {
  id: string;
  busy: boolean;
  label: 'handoffLalertDone' | 'handoffAreaMailDone';
  onDone: (note: string) => void;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onDone(note.trim());
  };
  return (
    <form className="order-form handoff-done" onSubmit={submit}>
      <p>
        <label htmlFor={id}>{t('handoffNote')}</label>{' '}
        <input id={id} value={note} maxLength={NOTE_MAX} onChange={(e) => setNote(e.target.value)} />{' '}
        <button type="submit" disabled={busy}>
          {t(label)}
        </button>
      </p>
    </form>
  );
}

function AreaMailCommands({
  id,
  busy,
  onDone,
  onWaive,
}: {
  id: string;
  busy: boolean;
  onDone: (note: string) => void;
  onWaive: (reason: string) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) onWaive(reason.trim());
  };
  return (
    <>
      <DoneForm id={`handoff-note-mail-${id}`} busy={busy} label="handoffAreaMailDone" onDone={onDone} />
      <form className="order-form" onSubmit={submit}>
        <p>
          <label htmlFor={`handoff-waive-${id}`}>{t('handoffWaiveReason')}</label>{' '}
          <input id={`handoff-waive-${id}`} value={reason} onChange={(e) => setReason(e.target.value)} />{' '}
          <button type="submit" disabled={busy || !reason.trim()}>
            {t('handoffWaive')}
          </button>
        </p>
      </form>
    </>
  );
}

/** A compact list for the orders screen: each record with something still to do, its warning first. */
export function OpenHandoffsPanel({ municipalityId }: { municipalityId: string }) {
  const { t, label } = useI18n();
  const query = useHandoffs(municipalityId);
  return (
    <Panel id="open-handoffs" title="handoffOpenTitle">
      <QueryState
        query={query}
        empty="handoffOpenEmpty"
        isEmpty={(list) => list.every((h) => h.open.length === 0)}
      >
        {(list) => (
          <DataTable
            rows={list.filter((h) => h.open.length > 0)}
            rowKey={(h) => h.id}
            columns={[
              {
                header: 'handoffStep',
                rowHeader: true,
                cell: (h) => (
                  <Link to={`/orders/${h.orderId}`}>{`${h.levelName} ${h.changeName}（v${h.version}）`}</Link>
                ),
              },
              { header: 'ordersDistrict', cell: (h) => h.districtNames.join('、') || '—' },
              { header: 'handoffOpen', cell: (h) => h.open.map((o) => label('handoffItem', o)).join('、') },
              {
                header: 'handoffWarnings',
                cell: (h) =>
                  h.warnings.length > 0 ? (
                    <strong className="handoff-warning-inline">{t('handoffLalertMissingShort')}</strong>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}
