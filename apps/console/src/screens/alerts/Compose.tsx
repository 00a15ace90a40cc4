import { LANGUAGES } from '@bousai/domain/browser';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, type Schemas, unwrap } from '../../../../../libs/web-client/src';
import { DataTable } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { ErrorState } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { type Operator, session } from '../../session';
import { CHANNELS, LanguageTextFields, langTag, roleAtLeast, SeveritySelect } from './alert-helpers';
import { DistrictPicker } from './DistrictPicker';

type CreateAlert = Schemas['CreateAlertDto'];
type Preview = Schemas['AlertPreviewDto'];
type Texts = Record<string, { title: string; body: string }>;
type Audience = 'all' | 'areas' | 'groups' | 'households';
const TEMPLATES = ['evacuation_order', 'safety_check'] as const;
const GROUPS = ['needs_assistance', 'staff'] as const;
/** How long the alert stays current (push TTL, store-and-forward window): the api's default. */
const EXPIRES_IN_MINUTES = 180;

/** 作成: template or free text per language, audience, channels; the preview before it can be submitted. */
export function ComposeScreen({ operator }: { operator: Operator }) {
  const { t } = useI18n();
  if (!roleAtLeast(operator.role, 'operator')) {
    return (
      <>
        <h1>{t('composeTitle')}</h1>
        <p role="alert" className="error">
          {t('noPermission')}
        </p>
      </>
    );
  }
  return <ComposeForm municipalityId={operator.municipalityId} />;
}

function ComposeForm({ municipalityId }: { municipalityId: string }) {
  const { t, label } = useI18n();
  const navigate = useNavigate();
  const [templateKey, setTemplateKey] = useState('');
  const [area, setArea] = useState('');
  const [languages, setLanguages] = useState<string[]>(['ja', 'ja-easy', 'en']);
  const [texts, setTexts] = useState<Texts>({});
  const [severity, setSeverity] = useState('severe');
  const [audience, setAudience] = useState<Audience>('all');
  const [areaIds, setAreaIds] = useState<string[]>([]);
  const [groups, setGroups] = useState<string[]>([]);
  const [householdIds, setHouseholdIds] = useState('');
  const [channels, setChannels] = useState<string[]>(['receiver', 'fcm', 'webpush']);
  const [isDrill, setIsDrill] = useState(false);
  const [safetyRequest, setSafetyRequest] = useState(false);

  const body = useMemo<CreateAlert>(() => {
    const written: Texts = {};
    for (const lang of languages) {
      const text = texts[lang];
      if (text && (text.title.trim() || text.body.trim())) written[lang] = text;
    }
    const targeting: CreateAlert['targeting'] =
      audience === 'all'
        ? { all: true }
        : audience === 'areas'
          ? { areaIds }
          : audience === 'groups'
            ? { groups: groups as ('needs_assistance' | 'staff')[] }
            : {
                householdIds: householdIds
                  .split(/[\s,]+/)
                  .map((s) => s.trim())
                  .filter(Boolean),
              };
    return {
      ...(templateKey
        ? { templateKey: templateKey as CreateAlert['templateKey'], placeholders: { area } }
        : {}),
      ...(Object.keys(written).length ? { texts: written } : {}),
      severity: severity as CreateAlert['severity'],
      targeting,
      channels: channels as CreateAlert['channels'],
      isDrill,
      safetyRequest,
      expiresInMinutes: EXPIRES_IN_MINUTES,
    };
  }, [
    templateKey,
    area,
    languages,
    texts,
    severity,
    audience,
    areaIds,
    groups,
    householdIds,
    channels,
    isDrill,
    safetyRequest,
  ]);
  const bodyKey = JSON.stringify(body);

  const preview = useMutation({
    mutationFn: async (b: CreateAlert) => ({
      key: JSON.stringify(b),
      result: await unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/alerts/preview', {
          params: { path: { municipalityId } },
          body: b,
        }),
      ),
    }),
  });
  const submit = useMutation({
    mutationFn: async (b: CreateAlert) => {
      const path = { municipalityId };
      const created = await unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/alerts', { params: { path }, body: b }),
      );
      await unwrap(
        session.api.POST('/v1/municipalities/{municipalityId}/alerts/{alertId}/submit', {
          params: { path: { municipalityId, alertId: created.id } },
        }),
      );
      return created.id;
    },
    onSuccess: (id) => void navigate(`/alerts/${id}`),
  });

  const previewed = preview.data?.key === bodyKey ? preview.data.result : undefined;
  const blocking = previewed?.problems.some((p) => p.severity === 'error') ?? true;
  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...list, value] : list.filter((v) => v !== value);
  const setText = (lang: string, part: 'title' | 'body', value: string) =>
    setTexts((all) => ({
      ...all,
      [lang]: { title: all[lang]?.title ?? '', body: all[lang]?.body ?? '', [part]: value },
    }));
  const extra = LANGUAGES.filter((l) => !languages.includes(l));

  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    preview.mutate(body);
  };

  return (
    <>
      <h1>{t('composeTitle')}</h1>
      <form className="compose" onSubmit={onPreview} noValidate>
        <fieldset>
          <legend>{t('composeContent')}</legend>
          <div className="field">
            <label htmlFor="template">{t('composeTemplate')}</label>
            <select id="template" value={templateKey} onChange={(e) => setTemplateKey(e.target.value)}>
              <option value="">{t('composeFreeText')}</option>
              {TEMPLATES.map((k) => (
                <option key={k} value={k}>
                  {label('template', k)}
                </option>
              ))}
            </select>
          </div>
          {templateKey && (
            <div className="field">
              <label htmlFor="placeholder-area">{t('composePlaceholderArea')}</label>
              <input id="placeholder-area" value={area} onChange={(e) => setArea(e.target.value)} />
              <span className="detail">{t('composeTemplateHint')}</span>
            </div>
          )}
          {languages.map((lang) => (
            <LanguageTextFields
              key={lang}
              idPrefix=""
              language={lang}
              text={texts[lang]}
              onChange={(part, value) => setText(lang, part, value)}
            >
              {lang !== 'ja' && (
                <button type="button" onClick={() => setLanguages(languages.filter((l) => l !== lang))}>
                  {t('composeRemoveLanguage', { lang: label('lang', lang) })}
                </button>
              )}
            </LanguageTextFields>
          ))}
          {extra.length > 0 && (
            <div className="field inline">
              <label htmlFor="add-language">{t('composeAddLanguage')}</label>
              <select
                id="add-language"
                value=""
                onChange={(e) => e.target.value && setLanguages([...languages, e.target.value])}
              >
                <option value="">—</option>
                {extra.map((l) => (
                  <option key={l} value={l}>
                    {label('lang', l)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <SeveritySelect id="severity" value={severity} onChange={setSeverity} />
        </fieldset>

        <fieldset>
          <legend>{t('composeAudience')}</legend>
          {(['all', 'areas', 'groups', 'households'] as const).map((a) => (
            <label key={a} className="choice">
              <input
                type="radio"
                name="audience"
                value={a}
                checked={audience === a}
                onChange={() => setAudience(a)}
              />
              {label('audience', a)}
            </label>
          ))}
          {audience === 'areas' && (
            <fieldset className="nested">
              <legend>{t('composeDistricts')}</legend>
              <DistrictPicker municipalityId={municipalityId} areaIds={areaIds} setAreaIds={setAreaIds} />
            </fieldset>
          )}
          {audience === 'groups' && (
            <fieldset className="nested">
              <legend>{t('composeGroups')}</legend>
              {GROUPS.map((g) => (
                <label key={g} className="choice">
                  <input
                    type="checkbox"
                    checked={groups.includes(g)}
                    onChange={(e) => setGroups(toggle(groups, g, e.target.checked))}
                  />
                  {label('group', g)}
                </label>
              ))}
            </fieldset>
          )}
          {audience === 'households' && (
            <div className="field">
              <label htmlFor="households">{t('composeHouseholdIds')}</label>
              <textarea
                id="households"
                rows={3}
                value={householdIds}
                onChange={(e) => setHouseholdIds(e.target.value)}
              />
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('composeChannels')}</legend>
          {CHANNELS.map((c) => (
            <label key={c} className="choice">
              <input
                type="checkbox"
                checked={channels.includes(c)}
                onChange={(e) => setChannels(toggle(channels, c, e.target.checked))}
              />
              {label('channel', c)}
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>{t('composeOptions')}</legend>
          <label className="choice">
            <input type="checkbox" checked={isDrill} onChange={(e) => setIsDrill(e.target.checked)} />
            {t('composeDrill')}
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={safetyRequest}
              onChange={(e) => setSafetyRequest(e.target.checked)}
            />
            {t('composeSafetyRequest')}
          </label>
        </fieldset>

        <div className="actions">
          <button type="submit" disabled={preview.isPending}>
            {t('composePreview')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={!previewed || blocking || submit.isPending}
            onClick={() => submit.mutate(body)}
          >
            {t('composeSubmit')}
          </button>
        </div>
        {!previewed && <p className="detail">{t('composePreviewFirst')}</p>}
        {submit.isError && <SubmitError error={submit.error} />}
      </form>
      {preview.isError && <ErrorState error={preview.error} retry={() => preview.mutate(body)} />}
      {previewed && <PreviewPanel preview={previewed} />}
    </>
  );
}

function SubmitError({ error }: { error: Error }) {
  const { t } = useI18n();
  return (
    <p role="alert" className="error">
      {t('composeSubmitFailed', { code: error instanceof ApiError ? error.code : 'NETWORK' })}
    </p>
  );
}

function PreviewPanel({ preview }: { preview: Preview }) {
  const { t, label } = useI18n();
  const groups = ['everyone', 'needs_assistance', 'staff'] as const;
  const texts = preview.channels.flatMap((c) => c.texts.map((text) => ({ ...text, served: c.served })));
  return (
    <Panel id="preview" title="previewTitle">
      {preview.problems.length > 0 && (
        <ul className="problems" aria-label={t('previewProblems')}>
          {preview.problems.map((p, i) => (
            <li key={i} className={p.severity === 'error' ? 'error' : 'warning'}>
              <strong>{label('problemSeverity', p.severity)}</strong> {label('problem', p.code)}
              {p.channel &&
                ` (${label('channel', p.channel)}${p.language ? ` / ${label('lang', p.language)}` : ''})`}
              {p.ids && p.ids.length > 0 && <span className="detail"> {p.ids.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
      {preview.unservedChannels.length > 0 && (
        <p className="warning" role="note">
          {t('previewUnserved', {
            channels: preview.unservedChannels.map((c) => label('channel', c)).join('、'),
          })}
        </p>
      )}
      <h3>{t('previewAudience')}</h3>
      <DataTable
        rows={[
          { key: 'total', name: t('previewAllServed'), counts: preview.audience },
          ...preview.channels.map((c) => ({
            key: c.channel,
            name: `${label('channel', c.channel)}${c.served ? '' : ` (${t('previewNotServed')})`}`,
            counts: c.audience,
          })),
        ]}
        rowKey={(r) => r.key}
        columns={[
          { header: 'channel', rowHeader: true, cell: (r) => r.name },
          ...groups.map((g) => ({
            header: `group.${g}` as const,
            numeric: true,
            cell: (r: { counts: Preview['audience'] }) =>
              t('previewCount', { people: r.counts[g].residents, households: r.counts[g].households }),
          })),
        ]}
      />
      <p data-testid="preview-visitors">
        {t('previewVisitors', { n: preview.visitors })}{' '}
        <span className="detail">{t('previewVisitorsDetail')}</span>
      </p>
      <h3>{t('previewTexts')}</h3>
      <DataTable
        rows={texts}
        rowKey={(r) => `${r.channel}-${r.language}`}
        columns={[
          { header: 'channel', rowHeader: true, cell: (r) => label('channel', r.channel) },
          { header: 'previewLanguage', cell: (r) => label('lang', r.language) },
          {
            header: 'previewText',
            cell: (r) => (
              <div lang={langTag(r.rendered)}>
                <strong>{r.title}</strong>
                <p className="message-body">{r.body}</p>
              </div>
            ),
          },
          {
            header: 'previewLimit',
            cell: (r) =>
              r.limit
                ? `${t('previewLimitValue', { max: r.limit.max, unit: label('unit', r.limit.unit) })}${r.shortened ? ` — ${t('previewShortened')}` : ''}`
                : '—',
          },
        ]}
      />
    </Panel>
  );
}
