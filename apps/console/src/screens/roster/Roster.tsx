import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { type Column, DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { type Operator, session } from '../../session';
import { mayAct } from './access';
import type { PrintSheet } from './EnrolmentPrint';
import { Pager, usePager } from './Pager';
import { ReceiversPanel } from './Receivers';

type Household = Schemas['HouseholdView'];
type Resident = Schemas['ResidentView'];
type Endpoint = Schemas['EndpointView'];
type ImportKind = 'households' | 'residents' | 'supporters';

const PAGE = 50;
const KINDS: ImportKind[] = ['households', 'residents', 'supporters'];

/** The roster (名簿): imports with their rejected rows, households with residents and endpoints, codes, receivers. */
export function RosterScreen({ operator }: { operator: Operator }) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<Household | undefined>();
  const municipalityId = operator.municipalityId;
  return (
    <>
      <h1>{t('rosterTitle')}</h1>
      <div className="roster-grid">
        {mayAct(operator, 'operator') && <ImportPanel municipalityId={municipalityId} />}
        <HouseholdsPanel municipalityId={municipalityId} onSelect={setSelected} />
        {selected && <HouseholdPanel operator={operator} household={selected} />}
        <ReceiversPanel municipalityId={municipalityId} />
      </div>
    </>
  );
}

function ImportPanel({ municipalityId }: { municipalityId: string }) {
  const { t, label } = useI18n();
  const [kind, setKind] = useState<ImportKind>('households');
  const [file, setFile] = useState<File | undefined>();
  const queries = useQueryClient();
  const upload = useMutation({
    mutationFn: (input: { kind: ImportKind; file: File }) => {
      const form = new FormData();
      form.append('file', input.file);
      return unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/imports/{kind}', {
          params: { path: { municipalityId, kind: input.kind } },
          body: { file: '' },
          bodySerializer: () => form,
        }),
      );
    },
    // the lists below show what was just imported
    onSuccess: () => {
      for (const list of ['households', 'residents', 'endpoints', 'receivers']) {
        void queries.invalidateQueries({ queryKey: [list, municipalityId] });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) upload.mutate({ kind, file });
  };
  const report = upload.data;
  const columns: Column<Schemas['ImportRowErrorDto']>[] = [
    { header: 'rosterLine', cell: (r) => r.line, numeric: true, rowHeader: true },
    { header: 'rosterColumn', cell: (r) => r.column ?? '' },
    { header: 'rosterCode', cell: (r) => <code>{r.code}</code> },
    { header: 'rosterReason', cell: (r) => r.message },
  ];
  return (
    <Panel id="roster-import" title="rosterImportTitle">
      <p>{t('rosterImportIntro')}</p>
      <form className="inline-form" onSubmit={submit}>
        <label className="field">
          {t('rosterImportKind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {label('importKind', k)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('rosterImportFile')}
          <input
            type="file"
            accept=".csv,text/csv"
            required
            onChange={(e) => setFile(e.target.files?.[0] ?? undefined)}
          />
        </label>
        <button type="submit" className="primary" disabled={!file || upload.isPending}>
          {upload.isPending ? t('rosterImporting') : t('rosterImportSubmit')}
        </button>
      </form>
      <div aria-live="polite">
        {upload.isError && (
          <p role="alert" className="error">
            {t('rosterImportFailed', {
              code: upload.error instanceof ApiError ? upload.error.code : 'NETWORK',
              message: upload.error.message,
            })}
          </p>
        )}
        {report && (
          <>
            <p className="notice">
              {t('rosterImportResult', {
                rows: report.rows,
                imported: report.imported,
                inserted: report.inserted,
                updated: report.updated,
                unchanged: report.unchanged,
              })}
            </p>
            {report.ignoredColumns.length > 0 && (
              <p>{t('rosterImportIgnored', { columns: report.ignoredColumns.join(', ') })}</p>
            )}
            {report.errors.length === 0 ? (
              <p>{t('rosterImportAllGood')}</p>
            ) : (
              <DataTable
                className="import-errors"
                caption={t('rosterImportRejected', { count: report.errors.length })}
                rows={report.errors}
                rowKey={(r) => `${r.line}-${r.column ?? ''}-${r.code}`}
                columns={columns}
              />
            )}
          </>
        )}
      </div>
    </Panel>
  );
}

function HouseholdsPanel({
  municipalityId,
  onSelect,
}: {
  municipalityId: string;
  onSelect: (h: Household) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState<string | undefined>();
  const pager = usePager();
  const areas = useQuery({
    queryKey: ['areas', municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/areas', {
          params: { path: { municipalityId }, query: { limit: 500 } },
        }),
      ),
  });
  const areaName = new Map((areas.data?.items ?? []).map((a) => [a.id, a.name]));
  const households = useQuery({
    queryKey: ['households', municipalityId, search, pager.cursor],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/households', {
          params: {
            path: { municipalityId },
            query: { limit: PAGE, cursor: pager.cursor, externalId: search },
          },
        }),
      ),
  });
  const find = (e: FormEvent) => {
    e.preventDefault();
    pager.reset();
    setSearch(draft.trim() || undefined);
  };
  return (
    <Panel id="roster-households" title="rosterHouseholdsTitle">
      <form className="inline-form" role="search" onSubmit={find}>
        <label className="field">
          {t('rosterSearchLabel')}
          <input value={draft} onChange={(e) => setDraft(e.target.value)} inputMode="numeric" />
        </label>
        <button type="submit">{t('rosterSearch')}</button>
        {search !== undefined && (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              setSearch(undefined);
              pager.reset();
            }}
          >
            {t('rosterClearSearch')}
          </button>
        )}
      </form>
      <QueryState query={households} empty="rosterHouseholdsEmpty" isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <>
            <DataTable
              rows={page.items}
              rowKey={(h) => h.id}
              columns={[
                { header: 'rosterHouseholdNo', cell: (h) => h.externalId, rowHeader: true },
                { header: 'rosterAddress', cell: (h) => h.address },
                { header: 'rosterArea', cell: (h) => (h.areaId ? (areaName.get(h.areaId) ?? '') : '') },
                {
                  header: 'rosterActions',
                  cell: (h) => (
                    <button
                      type="button"
                      aria-label={t('rosterShowHousehold', { id: h.externalId })}
                      onClick={() => onSelect(h)}
                    >
                      {t('rosterShow')}
                    </button>
                  ),
                },
              ]}
            />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </QueryState>
    </Panel>
  );
}

function HouseholdPanel({ operator, household }: { operator: Operator; household: Household }) {
  const { t, label, dateTime } = useI18n();
  const navigate = useNavigate();
  const municipalityId = operator.municipalityId;
  const residents = useQuery({
    queryKey: ['residents', municipalityId, household.id],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/residents', {
          params: { path: { municipalityId }, query: { householdId: household.id, limit: 100 } },
        }),
      ),
  });
  const endpoints = useQuery({
    queryKey: ['endpoints', municipalityId, household.id],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}/endpoints', {
          params: { path: { municipalityId }, query: { householdId: household.id, limit: 100 } },
        }),
      ),
  });
  const issue = useMutation({
    mutationFn: async (people: Resident[]) => {
      const sheets: PrintSheet[] = [];
      // one at a time: each code is a separate audited action
      for (const person of people) {
        const issued = await unwrap(
          session.api.POST('/v1/municipalities/{municipalityId}/residents/{residentId}/enrolment-codes', {
            params: { path: { municipalityId, residentId: person.id } },
          }),
        );
        sheets.push({ name: person.name, address: household.address, ...issued });
      }
      return sheets;
    },
    onSuccess: (sheets) => void navigate('/roster/print', { state: { sheets } }),
  });
  const canIssue = mayAct(operator, 'operator');
  const residentColumns: Column<Resident>[] = [
    { header: 'rosterResidentNo', cell: (r) => r.externalId },
    {
      header: 'rosterName',
      rowHeader: true,
      cell: (r) => (
        <>
          {r.name}
          {r.needsAssistance && <span className="badge assist">{t('rosterNeedsAssistance')}</span>}
          {r.staff && <span className="badge staff">{t('rosterStaff')}</span>}
        </>
      ),
    },
    { header: 'rosterLanguage', cell: (r) => r.language },
  ];
  if (canIssue) {
    residentColumns.push({
      header: 'rosterActions',
      cell: (r) => (
        <button
          type="button"
          disabled={issue.isPending}
          aria-label={t('rosterIssueCodeFor', { name: r.name })}
          onClick={() => issue.mutate([r])}
        >
          {t('rosterIssueCode')}
        </button>
      ),
    });
  }
  const endpointColumns: Column<Endpoint>[] = [
    { header: 'channel', cell: (e) => label('rosterChannel', e.channel), rowHeader: true },
    { header: 'rosterEndpointAddress', cell: (e) => e.label ?? shortAddress(e) },
    { header: 'rosterStatus', cell: (e) => label('rosterEndpointStatus', e.status) },
    { header: 'rosterLastSeen', cell: (e) => (e.lastSeenAt ? dateTime(e.lastSeenAt) : t('rosterNever')) },
  ];
  return (
    <section className="panel household" aria-labelledby="roster-household">
      <h2 id="roster-household">{t('rosterHouseholdTitle', { id: household.externalId })}</h2>
      <p>{household.address}</p>
      <h3>{t('rosterResidentsTitle')}</h3>
      <QueryState query={residents} empty="rosterResidentsEmpty" isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <>
            <DataTable rows={page.items} rowKey={(r) => r.id} columns={residentColumns} />
            {canIssue && (
              <p>
                <button
                  type="button"
                  className="primary"
                  disabled={issue.isPending}
                  onClick={() => issue.mutate(page.items)}
                >
                  {issue.isPending ? t('rosterIssuing') : t('rosterIssueHouseholdCodes')}
                </button>
              </p>
            )}
          </>
        )}
      </QueryState>
      {issue.isError && (
        <p role="alert" className="error">
          {t('rosterIssueFailed', { code: issue.error instanceof ApiError ? issue.error.code : 'NETWORK' })}
        </p>
      )}
      <h3>{t('rosterEndpointsTitle')}</h3>
      <QueryState query={endpoints} empty="rosterEndpointsEmpty" isEmpty={(p) => p.items.length === 0}>
        {(page) => <DataTable rows={page.items} rowKey={(e) => e.id} columns={endpointColumns} />}
      </QueryState>
    </section>
  );
}

/** Enough of a token or address to tell two apart, not the whole secret-looking string. */
function shortAddress(e: Endpoint): string {
  return e.channel === 'fcm' || e.channel === 'webpush' ? `${e.address.slice(0, 12)}…` : e.address;
}
