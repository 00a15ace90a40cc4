import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QrCode } from '../../components/QrCode';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { ActionMessage, mayOperate } from './ActionMessage';

type Shelter = Schemas['ShelterDto'];
type Crowding = NonNullable<Shelter['crowding']>;
const CROWDING: readonly Crowding[] = ['available', 'somewhat_crowded', 'crowded', 'full'];
const ENCODINGS = ['auto', 'utf-8', 'shift_jis'] as const;

/** 避難所: the list with its state, the operator's actions on each, the CSV import and each shelter's QR code. */
export function SheltersScreen({ municipalityId, role }: { municipalityId: string; role: string }) {
  const { t } = useI18n();
  const operate = mayOperate(role);
  return (
    <>
      <h1>{t('sheltersTitle')}</h1>
      <ShelterList municipalityId={municipalityId} operate={operate} />
      {operate && <ShelterImport municipalityId={municipalityId} />}
    </>
  );
}

function municipalityPath(municipalityId: string) {
  return { params: { path: { municipalityId } } };
}

function ShelterList({ municipalityId, operate }: { municipalityId: string; operate: boolean }) {
  const { label } = useI18n();
  const [qrFor, setQrFor] = useState<Shelter | undefined>();
  const query = useQuery({
    queryKey: ['shelters', municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/shelters', municipalityPath(municipalityId)),
      ),
    refetchInterval: 15_000,
  });
  const columns = [
    { header: 'shelterName' as const, rowHeader: true, cell: (s: Shelter) => s.name },
    { header: 'shelterKind' as const, cell: (s: Shelter) => label('shelterKind', s.kind) },
    {
      header: 'shelterStatus' as const,
      cell: (s: Shelter) => (
        <span className={`shelter-status shelter-${s.status}`}>{label('shelterStatus', s.status)}</span>
      ),
    },
    {
      header: 'crowding' as const,
      cell: (s: Shelter) =>
        s.crowding ? (
          <span className={`crowding crowding-${s.crowding}`}>{label('crowding', s.crowding)}</span>
        ) : (
          '—'
        ),
    },
    {
      header: 'headCountOfCapacity' as const,
      numeric: true,
      cell: (s: Shelter) => `${s.headCount} / ${s.capacity ?? '—'}`,
    },
    {
      header: 'hazards' as const,
      cell: (s: Shelter) => s.hazards.map((h) => label('hazard', h)).join('、') || '—',
    },
  ];
  return (
    <Panel id="shelter-list" title="sheltersListTitle">
      <QueryState query={query} empty="sheltersEmpty">
        {(shelters) => (
          <DataTable
            rows={shelters}
            rowKey={(s) => s.id}
            className="shelters"
            columns={
              operate
                ? [
                    ...columns,
                    {
                      header: 'actions',
                      cell: (s: Shelter) => (
                        <ShelterActions
                          municipalityId={municipalityId}
                          shelter={s}
                          onQr={() => setQrFor(s)}
                        />
                      ),
                    },
                  ]
                : columns
            }
          />
        )}
      </QueryState>
      {qrFor && (
        <ShelterQrDialog
          municipalityId={municipalityId}
          shelter={qrFor}
          onClose={() => setQrFor(undefined)}
        />
      )}
    </Panel>
  );
}

function ShelterActions({
  municipalityId,
  shelter,
  onQr,
}: {
  municipalityId: string;
  shelter: Shelter;
  onQr: () => void;
}) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const [level, setLevel] = useState<Crowding>(shelter.crowding ?? 'available');
  const [count, setCount] = useState(String(shelter.headCount));
  const path = { params: { path: { municipalityId, id: shelter.id } } };
  const refresh = () => queries.invalidateQueries({ queryKey: ['shelters', municipalityId] });
  const action = useMutation({
    mutationFn: (what: 'open' | 'close' | 'crowding' | 'head-count') => {
      switch (what) {
        case 'open':
          return unwrap(session.api.POST('/v1/municipalities/{municipalityId}/shelters/{id}/open', path));
        case 'close':
          return unwrap(session.api.POST('/v1/municipalities/{municipalityId}/shelters/{id}/close', path));
        case 'crowding':
          return unwrap(
            session.api.PUT('/v1/municipalities/{municipalityId}/shelters/{id}/crowding', {
              ...path,
              body: { level },
            }),
          );
        case 'head-count':
          return unwrap(
            session.api.PUT('/v1/municipalities/{municipalityId}/shelters/{id}/head-count', {
              ...path,
              body: { headCount: Number(count) },
            }),
          );
      }
    },
    onSuccess: (updated) => {
      setLevel(updated.crowding ?? 'available');
      setCount(String(updated.headCount));
      void refresh();
    },
  });
  const submit = (what: 'crowding' | 'head-count') => (event: FormEvent) => {
    event.preventDefault();
    action.mutate(what);
  };
  const busy = action.isPending;
  return (
    <div className="shelter-actions" role="group" aria-label={t('shelterActionsFor', { name: shelter.name })}>
      {shelter.status === 'closed' ? (
        <button type="button" disabled={busy} onClick={() => action.mutate('open')}>
          {t('openShelter')}
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={() => action.mutate('close')}>
          {t('closeShelter')}
        </button>
      )}
      <form className="inline-form" onSubmit={submit('crowding')}>
        <select
          aria-label={t('crowdingFor', { name: shelter.name })}
          value={level}
          onChange={(e) => setLevel(e.target.value as Crowding)}
        >
          {CROWDING.map((c) => (
            <option key={c} value={c}>
              {label('crowding', c)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {t('setCrowding')}
        </button>
      </form>
      <form className="inline-form" onSubmit={submit('head-count')}>
        <input
          type="number"
          min={0}
          max={100000}
          required
          className="count"
          aria-label={t('headCountFor', { name: shelter.name })}
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {t('setHeadCount')}
        </button>
      </form>
      <button type="button" onClick={onQr}>
        {t('showQr')}
      </button>
      <ActionMessage error={action.error} />
    </div>
  );
}

/** The check-in QR code in a modal dialog; the QR library loads only when a code is shown. */
function ShelterQrDialog({
  municipalityId,
  shelter,
  onClose,
}: {
  municipalityId: string;
  shelter: Shelter;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const qr = useQuery({
    queryKey: ['shelter-qr', municipalityId, shelter.id],
    queryFn: async () => {
      const { url } = await unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/shelters/{id}/qr', {
          params: { path: { municipalityId, id: shelter.id } },
        }),
      );
      return { url };
    },
    staleTime: 60_000,
  });
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const titleId = `qr-title-${shelter.id}`;
  return (
    <dialog ref={dialog} className="qr-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{t('qrTitle', { name: shelter.name })}</h2>
      <p>{t('qrIntro')}</p>
      <QueryState query={qr} empty="qrFailed" isEmpty={() => false}>
        {(code) => (
          <>
            <QrCode className="qr" text={code.url} label={t('qrTitle', { name: shelter.name })} />
            <p className="detail qr-url">{code.url}</p>
          </>
        )}
      </QueryState>
      <form method="dialog">
        <button type="submit" className="primary">
          {t('close')}
        </button>
      </form>
    </dialog>
  );
}

function ShelterImport({ municipalityId }: { municipalityId: string }) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | undefined>();
  const [encoding, setEncoding] = useState<(typeof ENCODINGS)[number]>('auto');
  const upload = useMutation({
    mutationFn: (csv: File) =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/shelters/imports', {
          params: { path: { municipalityId }, query: { encoding } },
          body: { file: '' },
          bodySerializer: () => {
            const form = new FormData();
            form.append('file', csv);
            return form;
          },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['shelters', municipalityId] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate(file);
  };
  const report = upload.data;
  return (
    <Panel id="shelter-import" title="importTitle">
      <p>{t('importIntro')}</p>
      <form onSubmit={submit} className="import-form">
        <div className="field">
          <label htmlFor="shelter-csv">{t('importFile')}</label>
          <input
            id="shelter-csv"
            type="file"
            accept=".csv,text/csv"
            required
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </div>
        <div className="field">
          <label htmlFor="shelter-encoding">{t('importEncoding')}</label>
          <select
            id="shelter-encoding"
            value={encoding}
            onChange={(e) => setEncoding(e.target.value as (typeof ENCODINGS)[number])}
          >
            {ENCODINGS.map((e) => (
              <option key={e} value={e}>
                {label('encoding', e)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={!file || upload.isPending}>
          {upload.isPending ? t('importing') : t('importRun')}
        </button>
      </form>
      <ActionMessage error={upload.error} />
      {report && (
        <div className="import-report">
          <p role="status">
            {t('importSummary', {
              rows: report.rows,
              imported: report.imported,
              inserted: report.inserted,
              updated: report.updated,
              rejected: report.errors.length,
            })}
          </p>
          <ImportIssues title="importRejected" issues={report.errors} />
          <ImportIssues title="importWarnings" issues={report.warnings} />
        </div>
      )}
    </Panel>
  );
}

function ImportIssues({
  title,
  issues,
}: {
  title: 'importRejected' | 'importWarnings';
  issues: Schemas['ShelterImportIssueDto'][];
}) {
  const { t } = useI18n();
  if (issues.length === 0) return null;
  return (
    <DataTable
      rows={issues}
      rowKey={(i) => `${i.line}-${i.code}-${i.column ?? ''}`}
      caption={t(title)}
      columns={[
        { header: 'line', numeric: true, rowHeader: true, cell: (i) => i.line },
        { header: 'column', cell: (i) => i.column ?? '—' },
        {
          header: 'problem',
          cell: (i) => (
            <>
              <code>{i.code}</code> <span className="detail">{i.message}</span>
            </>
          ),
        },
      ]}
    />
  );
}
