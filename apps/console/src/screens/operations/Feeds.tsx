import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { ActionMessage, mayOperate } from './ActionMessage';

type RuleView = Schemas['FeedRuleViewDto'];
type DryRun = Schemas['FeedRulesDryRunResultDto'];

/** A field of an object the api documents only as an object (a rule, a plan): a string, or undefined. */
function text(value: unknown, ...path: string[]): string | undefined {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string'
    ? at
    : typeof at === 'number' || typeof at === 'boolean'
      ? String(at)
      : undefined;
}

function list(value: unknown, ...path: string[]): string[] {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return [];
    at = (at as Record<string, unknown>)[key];
  }
  return Array.isArray(at) ? at.map(String) : [];
}

/** 受信電文とルール: what came in and how it went, the municipality's rules, and a dry-run of a document. */
export function FeedsScreen({ municipalityId, role }: { municipalityId: string; role: string }) {
  const { t } = useI18n();
  const operate = mayOperate(role);
  return (
    <>
      <h1>{t('feedsTitle')}</h1>
      {operate && (
        <div className="now-grid">
          <Documents />
          <Failures />
        </div>
      )}
      <Rules municipalityId={municipalityId} admin={role === 'admin'} />
      {operate && <DryRunPanel municipalityId={municipalityId} />}
    </>
  );
}

function Documents() {
  const { dateTime, label } = useI18n();
  const query = useQuery({
    queryKey: ['feed-documents', 50],
    queryFn: () => unwrap(session.api.GET('/v1/feed-documents', { params: { query: { limit: 50 } } })),
    refetchInterval: 15_000,
  });
  return (
    <Panel id="feed-documents" title="documentsTitle">
      <QueryState query={query} empty="documentsEmpty">
        {(docs) => (
          <DataTable
            rows={docs}
            rowKey={(d) => d.id}
            columns={[
              { header: 'receivedAt', cell: (d) => dateTime(d.receivedAt) },
              { header: 'source', cell: (d) => d.feedName ?? d.source },
              { header: 'kind', cell: (d) => d.kind ?? '—' },
              {
                header: 'outcome',
                cell: (d) => (
                  <>
                    {label('parse', d.parseStatus)}
                    {d.parseErrorCode && (
                      <>
                        {' '}
                        <code>{d.parseErrorCode}</code>
                      </>
                    )}
                  </>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}

function Failures() {
  const { dateTime } = useI18n();
  const query = useQuery({
    queryKey: ['feed-failures', 50],
    queryFn: () =>
      unwrap(session.api.GET('/v1/feed-documents/failures', { params: { query: { limit: 50 } } })),
    refetchInterval: 15_000,
  });
  return (
    <Panel id="feed-failures" title="failuresTitle">
      <QueryState query={query} empty="failuresEmpty">
        {(docs) => (
          <DataTable
            rows={docs}
            rowKey={(d) => d.id}
            columns={[
              { header: 'receivedAt', cell: (d) => dateTime(d.receivedAt) },
              { header: 'source', cell: (d) => d.feedName ?? d.source },
              { header: 'errorCode', cell: (d) => <code>{d.parseErrorCode ?? '—'}</code> },
              {
                header: 'parseErrorDetail',
                cell: (d) => <span className="detail">{d.parseError ?? ''}</span>,
              },
            ]}
          />
        )}
      </QueryState>
    </Panel>
  );
}

function Rules({ municipalityId, admin }: { municipalityId: string; admin: boolean }) {
  const { t, dateTime } = useI18n();
  const query = useQuery({
    queryKey: ['feed-rules', municipalityId],
    queryFn: async () =>
      (
        await unwrap(
          session.api.GET('/v1/municipalities/{municipalityId}/feed-rules', {
            params: { path: { municipalityId } },
          }),
        )
      ).items,
  });
  return (
    <Panel id="feed-rules" title="rulesTitle">
      <QueryState query={query} empty="rulesEmpty">
        {(rules) => (
          <>
            <DataTable
              rows={rules}
              rowKey={(r) => text(r.rule, 'id') ?? ''}
              columns={[
                { header: 'ruleName', rowHeader: true, cell: (r) => text(r.rule, 'name') ?? '—' },
                { header: 'ruleId', cell: (r) => <code>{text(r.rule, 'id')}</code> },
                {
                  header: 'ruleEnabled',
                  cell: (r) => (text(r.rule, 'enabled') === 'false' ? t('disabled') : t('enabled')),
                },
                { header: 'ruleMatch', cell: (r) => list(r.rule, 'match', 'kinds').join(', ') || '—' },
                {
                  header: 'ruleAction',
                  cell: (r) =>
                    `${text(r.rule, 'action', 'templateKey') ?? ''} · ${
                      text(r.rule, 'action', 'autoSend') === 'true' ? t('autoSend') : t('needsApproval')
                    }`,
                },
                { header: 'updatedAt', cell: (r) => dateTime(r.updatedAt) },
              ]}
            />
            {admin && <RuleEditor municipalityId={municipalityId} rules={rules} />}
          </>
        )}
      </QueryState>
    </Panel>
  );
}

/** Admins replace the whole rule set as JSON; the api checks it and names the failing path. */
function RuleEditor({ municipalityId, rules }: { municipalityId: string; rules: RuleView[] }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [json, setJson] = useState('');
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    // the api checks every rule and names the failing path; the screen only checks that this is a list
    mutationFn: (parsed: Schemas['FeedRuleDto'][]) =>
      unwrap(
        session.api.PUT('/v1/municipalities/{municipalityId}/feed-rules', {
          params: { path: { municipalityId } },
          body: { rules: parsed },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['feed-rules', municipalityId] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
    }
    setInvalid(!Array.isArray(parsed));
    if (Array.isArray(parsed)) save.mutate(parsed as Schemas['FeedRuleDto'][]);
  };
  if (!open)
    return (
      <button
        type="button"
        onClick={() => {
          setJson(
            JSON.stringify(
              rules.map((r) => r.rule),
              null,
              2,
            ),
          );
          setOpen(true);
        }}
      >
        {t('editRules')}
      </button>
    );
  return (
    <form onSubmit={submit} className="rule-editor">
      <div className="field">
        <label htmlFor="rules-json">{t('rulesJson')}</label>
        <textarea
          id="rules-json"
          rows={16}
          spellCheck={false}
          value={json}
          onChange={(e) => setJson(e.target.value)}
        />
      </div>
      {invalid && (
        <p role="alert" className="error">
          {t('rulesInvalidJson')}
        </p>
      )}
      <ActionMessage error={save.error} success={save.isSuccess && 'rulesSaved'} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('saveRules')}
      </button>
    </form>
  );
}

function DryRunPanel({ municipalityId }: { municipalityId: string }) {
  const { t } = useI18n();
  const [document, setDocument] = useState('');
  const run = useMutation({
    mutationFn: (doc: string) =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/feed-rules/dry-run', {
          params: { path: { municipalityId } },
          body: { document: doc },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate(document);
  };
  return (
    <Panel id="dry-run" title="dryRunTitle">
      <p>{t('dryRunIntro')}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="dry-run-file">{t('dryRunFile')}</label>
          <input
            id="dry-run-file"
            type="file"
            accept=".xml,.json,application/xml,text/xml,application/json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void file.text().then(setDocument);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="dry-run-document">{t('dryRunDocument')}</label>
          <textarea
            id="dry-run-document"
            rows={8}
            required
            spellCheck={false}
            value={document}
            onChange={(e) => setDocument(e.target.value)}
          />
        </div>
        <button type="submit" className="primary" disabled={run.isPending || document.trim() === ''}>
          {run.isPending ? t('dryRunning') : t('dryRunRun')}
        </button>
      </form>
      <ActionMessage error={run.error} />
      {run.data && <DryRunResult result={run.data} />}
    </Panel>
  );
}

function DryRunResult({ result }: { result: DryRun }) {
  const { t, label } = useI18n();
  return (
    <div className="dry-run-result">
      <p>
        {t('dryRunMessage', { format: result.message.format, kind: result.message.kind })}
        <br />
        {t('dryRunRevision', { kind: result.revision.kind })}{' '}
        <span className="detail">{result.revision.reason}</span>
      </p>
      <h3>{t('dryRunPlans')}</h3>
      {result.plans.length === 0 ? (
        <p className="empty">{t('dryRunNoPlans')}</p>
      ) : (
        <DataTable
          rows={result.plans}
          rowKey={(p) => `${p.action}-${p.ruleId}`}
          columns={[
            { header: 'plan', rowHeader: true, cell: (p) => label('plan', p.action) },
            { header: 'rule', cell: (p) => <code>{p.ruleId}</code> },
            {
              header: 'alertTitle',
              cell: (p) => <span lang="ja">{p.draft?.texts.ja?.title ?? p.alertId ?? '—'}</span>,
            },
            {
              header: 'sendMode',
              cell: (p) => (p.draft ? (p.draft.autoSend ? t('autoSend') : t('needsApproval')) : '—'),
            },
            { header: 'reason', cell: (p) => <span className="detail">{p.reason}</span> },
          ]}
        />
      )}
      <h3>{t('dryRunDecisions')}</h3>
      <DataTable
        rows={result.decisions}
        rowKey={(d) => d.ruleId}
        columns={[
          { header: 'rule', rowHeader: true, cell: (d) => d.ruleName },
          { header: 'fired', cell: (d) => (d.fired ? t('fired') : '—') },
          { header: 'reason', cell: (d) => <span className="detail">{d.reason}</span> },
        ]}
      />
    </div>
  );
}
