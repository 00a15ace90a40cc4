import { Severity } from '@bousai/domain/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { Panel } from '../../components/Panel';
import { QueryState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { session } from '../../session';
import { failure } from './queries';

type Municipality = Schemas['MunicipalityView'];
type Mode = 'parallel' | 'ordered';
const SEVERITIES = Object.values(Severity);

/** The settings as this form edits them; the api validates them again and names a bad field. */
interface Form {
  t1: string;
  t2: string;
  t3: string;
  ackTimeout: string;
  modes: Record<Severity, Mode>;
  lineBroadcast: boolean;
  x: boolean;
  drills: boolean;
  singleStep: string;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** What the stored settings say, with the documented defaults where they say nothing. */
function formOf(settings: Record<string, unknown>): Form {
  const escalation = obj(settings.escalation);
  const fallback = obj(settings.channelFallback);
  const modes = obj(fallback.modeBySeverity);
  const posts = obj(settings.publicPosts);
  const num = (v: unknown, fallbackValue: number) => String(typeof v === 'number' ? v : fallbackValue);
  return {
    t1: num(escalation.t1Minutes, 10),
    t2: num(escalation.t2Minutes, 20),
    t3: num(escalation.t3Minutes, 40),
    ackTimeout: num(fallback.ackTimeoutSeconds, 300),
    modes: Object.fromEntries(
      SEVERITIES.map((s) => [s, modes[s] === 'ordered' ? 'ordered' : 'parallel']),
    ) as Form['modes'],
    lineBroadcast: posts.lineBroadcast === true,
    x: posts.x === true,
    drills: posts.drills === true,
    singleStep: Array.isArray(settings.singleStepKinds) ? settings.singleStepKinds.join(', ') : '',
  };
}

/** The stored settings with this form's parts replaced; keys the form does not know are kept as they are. */
function settingsOf(current: Record<string, unknown>, form: Form): Record<string, unknown> {
  return {
    ...current,
    escalation: { t1Minutes: Number(form.t1), t2Minutes: Number(form.t2), t3Minutes: Number(form.t3) },
    channelFallback: {
      ...obj(current.channelFallback),
      ackTimeoutSeconds: Number(form.ackTimeout),
      modeBySeverity: form.modes,
    },
    publicPosts: { lineBroadcast: form.lineBroadcast, x: form.x, drills: form.drills },
    singleStepKinds: form.singleStep
      .split(/[,、\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export function SettingsPanel({ municipalityId }: { municipalityId: string }) {
  const municipality = useQuery({
    queryKey: ['municipality', municipalityId],
    queryFn: () =>
      unwrap(
        session.api.GET('/v1/municipalities/{municipalityId}', { params: { path: { municipalityId } } }),
      ),
  });
  return (
    <Panel id="admin-settings" title="adminSettingsTitle">
      <QueryState query={municipality} empty="adminOperatorsEmpty" isEmpty={() => false}>
        {(m) => <SettingsForm key={m.id} municipality={m} />}
      </QueryState>
    </Panel>
  );
}

function SettingsForm({ municipality }: { municipality: Municipality }) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(municipality.settings));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        session.api.PATCH('/v1/municipalities/{municipalityId}', {
          params: { path: { municipalityId: municipality.id } },
          body: { settings: settingsOf(municipality.settings, form) },
        }),
      ),
    onSuccess: (m) => {
      queries.setQueryData(['municipality', m.id], m);
      void queries.invalidateQueries({ queryKey: ['audit', m.id] });
      setSaved(true);
    },
  });
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false);
    save.reset();
    setForm((f) => ({ ...f, [key]: value }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const minutes = (key: 't1' | 't2' | 't3', text: 'adminT1' | 'adminT2' | 'adminT3') => (
    <label className="field">
      {t(text)}
      <input
        type="number"
        min={1}
        max={1440}
        required
        value={form[key]}
        onChange={(e) => set(key, e.target.value)}
      />
    </label>
  );
  return (
    <form onSubmit={submit} className="settings-form">
      <fieldset>
        <legend>{t('adminEscalation')}</legend>
        {minutes('t1', 'adminT1')}
        {minutes('t2', 'adminT2')}
        {minutes('t3', 'adminT3')}
      </fieldset>
      <fieldset>
        <legend>{t('adminFallback')}</legend>
        <label className="field">
          {t('adminAckTimeout')}
          <input
            type="number"
            min={1}
            max={86400}
            required
            value={form.ackTimeout}
            onChange={(e) => set('ackTimeout', e.target.value)}
          />
        </label>
        {SEVERITIES.map((s) => (
          <label className="field" key={s}>
            {t('adminModeFor', { severity: label('settingsSeverity', s) })}
            <select
              value={form.modes[s]}
              onChange={(e) => set('modes', { ...form.modes, [s]: e.target.value as Mode })}
            >
              <option value="parallel">{label('fallbackMode', 'parallel')}</option>
              <option value="ordered">{label('fallbackMode', 'ordered')}</option>
            </select>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('adminPublicPosts')}</legend>
        {(
          [
            ['lineBroadcast', 'adminLineBroadcast'],
            ['x', 'adminXPost'],
            ['drills', 'adminPostDrills'],
          ] as const
        ).map(([key, text]) => (
          <label className="check" key={key}>
            <input type="checkbox" checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
            {t(text)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('adminSingleStep')}</legend>
        <label className="field">
          {t('adminSingleStepHelp')}
          <input value={form.singleStep} onChange={(e) => set('singleStep', e.target.value)} />
        </label>
      </fieldset>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('adminSave')}
      </button>
      <div aria-live="polite">
        {save.isError && (
          <p role="alert" className="error">
            {t('adminFailed', failure(save.error))}
          </p>
        )}
        {saved && <p className="notice">{t('adminSaved')}</p>}
      </div>
    </form>
  );
}
