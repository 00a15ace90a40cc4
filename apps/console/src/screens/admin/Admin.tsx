import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { type Column, DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { type Operator, session } from '../../session';
import { AuditLogPanel } from './AuditLog';
import { failure, useAccounts } from './queries';
import { SettingsPanel } from './Settings';

type Account = Schemas['OperatorAccountView'];
type Role = Account['role'];
export const ROLES: Role[] = ['viewer', 'operator', 'approver', 'admin'];

/** Administration (admins only): operator accounts and roles, the municipality's settings, the audit log. */
export function AdminScreen({ operator }: { operator: Operator }) {
  const { t } = useI18n();
  if (operator.role !== 'admin') {
    return (
      <>
        <h1>{t('adminTitle')}</h1>
        <p role="alert" className="error">
          {t('adminOnly')}
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t('adminTitle')}</h1>
      <div className="admin-stack">
        <OperatorsPanel operator={operator} />
        <SettingsPanel municipalityId={operator.municipalityId} />
        <AuditLogPanel municipalityId={operator.municipalityId} />
      </div>
    </>
  );
}

function OperatorsPanel({ operator }: { operator: Operator }) {
  const { t, label, dateTime } = useI18n();
  const municipalityId = operator.municipalityId;
  const queries = useQueryClient();
  const accounts = useAccounts(municipalityId);
  const [notice, setNotice] = useState<string | undefined>();
  const change = useMutation({
    mutationFn: (input: { account: Account; patch: Schemas['UpdateOperatorDto'] }) =>
      unwrap(
        session.api.PATCH('/v1/municipalities/{municipalityId}/operators/{id}', {
          params: { path: { municipalityId, id: input.account.id } },
          body: input.patch,
        }),
      ),
    onSuccess: (account) => {
      setNotice(t('adminChanged', { email: account.email }));
      void queries.invalidateQueries({ queryKey: ['operators', municipalityId] });
      void queries.invalidateQueries({ queryKey: ['audit', municipalityId] });
    },
  });
  const columns: Column<Account>[] = [
    {
      header: 'adminEmail',
      rowHeader: true,
      cell: (a) => (
        <>
          {a.email}
          {a.id === operator.id && <span className="detail"> {t('adminYou')}</span>}
        </>
      ),
    },
    { header: 'adminDisplayName', cell: (a) => a.displayName ?? '' },
    {
      header: 'adminRole',
      cell: (a) => (
        <select
          aria-label={t('adminRoleOf', { email: a.email })}
          value={a.role}
          disabled={a.id === operator.id || change.isPending}
          onChange={(e) => change.mutate({ account: a, patch: { role: e.target.value as Role } })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label('role', r)}
            </option>
          ))}
        </select>
      ),
    },
    { header: 'adminState', cell: (a) => (a.disabled ? t('adminDisabled') : t('adminEnabled')) },
    { header: 'adminLastLogin', cell: (a) => (a.lastLoginAt ? dateTime(a.lastLoginAt) : '—') },
    {
      header: 'adminActions',
      cell: (a) =>
        a.id === operator.id ? null : (
          <button
            type="button"
            disabled={change.isPending}
            aria-label={t(a.disabled ? 'adminEnableOf' : 'adminDisableOf', { email: a.email })}
            onClick={() => change.mutate({ account: a, patch: { disabled: !a.disabled } })}
          >
            {a.disabled ? t('adminEnable') : t('adminDisable')}
          </button>
        ),
    },
  ];
  return (
    <Panel id="admin-operators" title="adminOperatorsTitle">
      <div aria-live="polite">
        {change.isError && (
          <p role="alert" className="error">
            {t('adminFailed', failure(change.error))}
          </p>
        )}
        {notice && !change.isError && <p className="notice">{notice}</p>}
      </div>
      <QueryState query={accounts} empty="adminOperatorsEmpty">
        {(rows) => <DataTable rows={rows} rowKey={(a) => a.id} columns={columns} />}
      </QueryState>
      <NewOperatorForm municipalityId={municipalityId} onCreated={setNotice} />
    </Panel>
  );
}

function NewOperatorForm({
  municipalityId,
  onCreated,
}: {
  municipalityId: string;
  onCreated: (notice: string) => void;
}) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/operators', {
          params: { path: { municipalityId } },
          body: { email, role, password, ...(displayName ? { displayName } : {}) },
        }),
      ),
    onSuccess: (account) => {
      onCreated(t('adminCreated', { email: account.email }));
      setEmail('');
      setDisplayName('');
      setPassword('');
      void queries.invalidateQueries({ queryKey: ['operators', municipalityId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby="admin-new-operator">
      <h3 id="admin-new-operator">{t('adminNewOperator')}</h3>
      <label className="field">
        {t('adminEmail')}
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="field">
        {t('adminDisplayName')}
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label className="field">
        {t('adminRole')}
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label('role', r)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        {t('adminPassword')}
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        {t('adminCreate')}
      </button>
      {create.isError && (
        <p role="alert" className="error">
          {t('adminFailed', failure(create.error))}
        </p>
      )}
    </form>
  );
}
