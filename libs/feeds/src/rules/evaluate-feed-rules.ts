import {
  type AlertLevel,
  type AlertTexts,
  type Channel,
  fillPlaceholders,
  Hazard,
  markDrill,
  Severity,
  type Targeting,
} from '@bousai/domain';
import { type LevelledWarning, levelledWarnings } from '../jma/levelled-warnings';
import type { CapMessage, JmaMessage, NormalisedMessage } from '../normalised-message';
import { findFeedTemplate } from './feed-alert-templates';
import {
  type FeedRule,
  INTENSITY_SCALE,
  type Intensity,
  type TsunamiLevel,
  type WarningLevel,
} from './feed-rule.schema';
import { JALERT_TYPE_NAMES, type JAlertMessage } from './jalert-message';

/** Anything the rules evaluate: a parsed JMA XML / CAP / Atom document, or a J-ALERT relay message. */
export type FeedMessage = NormalisedMessage | JAlertMessage;

/** A municipality's JMA codes per code system (docs/feeds.md §2) and the name used in texts. */
export interface MunicipalityCodes {
  name: string;
  cityCodes: string[];
  quakeAreaCodes: string[];
  tsunamiAreaCodes: string[];
  eewAreaCodes: string[];
}

/** The alert a fired rule would create, texts already filled from the message. */
export interface AlertDraft {
  ruleId: string;
  templateKey: string;
  severity: Severity;
  texts: AlertTexts;
  targeting: Targeting;
  channels: Channel[];
  autoSend: boolean;
  safetyRequest: boolean;
  isDrill: boolean;
  expiresInMinutes: number;
  suppressMinutes: number;
  /** The municipality's codes the message named. */
  matchedCodes: string[];
  /** Active kinds the rule matched (大雨特別警報, 大津波警報 …); compared across full-state telegrams. */
  kinds: string[];
  /** 警戒レベル of the highest matched kind (2026 scheme, docs/feeds.md §8); null when the kinds carry none. */
  level: AlertLevel | null;
  /** Phenomenon of the highest matched kind; null when the message does not say (CAP, J-ALERT, volcano). */
  hazard: Hazard | null;
}

export interface RuleDecision {
  ruleId: string;
  ruleName: string;
  fired: boolean;
  /** Why it fired or why not, for operators and the dry-run. */
  reason: string;
  draft: AlertDraft | null;
}

interface Facts {
  matchedCodes: string[];
  kinds: string[];
  severity: Severity;
  /** Weather only; other families have no 警戒レベル. */
  level?: AlertLevel | null;
  hazard?: Hazard | null;
  why: string;
  placeholders: Record<string, string>;
}
type Match = { ok: true; facts: Facts } | { ok: false; reason: string };

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  [Severity.Unknown]: 0,
  [Severity.Minor]: 1,
  [Severity.Moderate]: 2,
  [Severity.Severe]: 3,
  [Severity.Extreme]: 4,
};

export function severityRank(s: Severity): number {
  return SEVERITY_RANK[s];
}

// ---------------------------------------------------------------- helpers

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

function fullWidth(s: string): string {
  return s.replace(/\d/g, (d) => FULL_WIDTH_DIGITS[Number(d)]);
}

function intensityRank(v: string | null | undefined): number {
  return v ? (INTENSITY_SCALE as readonly string[]).indexOf(v) : -1;
}

/** "5-" → "５弱", as JMA writes 震度 in texts. */
export function intensityLabel(v: string): string {
  const m = /^(\d)([+-])?$/.exec(v);
  if (!m) return v;
  return `${fullWidth(m[1])}${m[2] === '-' ? '弱' : m[2] === '+' ? '強' : ''}`;
}

function intensitySeverity(v: Intensity): Severity {
  const r = intensityRank(v);
  if (r >= intensityRank('6-')) return Severity.Extreme;
  if (r >= intensityRank('5-')) return Severity.Severe;
  if (r >= intensityRank('4')) return Severity.Moderate;
  return Severity.Minor;
}

/** JST wall-clock time as residents read it: 2016年2月12日 15時44分. */
export function jstLabel(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 9 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${d.getUTCHours()}時${String(d.getUTCMinutes()).padStart(2, '0')}分`;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function codesFor(rule: FeedRule, m: MunicipalityCodes) {
  const c = rule.match.codes ?? {};
  return {
    city: new Set(c.city ?? m.cityCodes),
    quakeArea: new Set(c.quakeArea ?? m.quakeAreaCodes),
    tsunamiArea: new Set(c.tsunamiArea ?? m.tsunamiAreaCodes),
    eewArea: new Set(c.eewArea ?? m.eewAreaCodes),
  };
}

/** `earthquake` matches every earthquake kind, `weather.warning_r06` every R06 warning telegram. */
export function kindMatches(patterns: readonly string[], kind: string): boolean {
  return patterns.some((p) => kind === p || kind.startsWith(`${p}.`));
}

function areaLabel(names: (string | null)[], m: MunicipalityCodes): string {
  const known = uniq(names.filter((n): n is string => !!n));
  return known.length > 0 ? known.join('、') : m.name;
}

// ---------------------------------------------------------------- families

function matchEarthquake(msg: JmaMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  if (msg.body.family !== 'earthquake') return { ok: false, reason: 'not an earthquake body' };
  const codes = codesFor(rule, m);
  const hits: { code: string; name: string | null; intensity: Intensity }[] = [];
  for (const c of msg.body.cities) {
    if (!c.code || !codes.city.has(c.code)) continue;
    // JMA: 「震度５弱以上未入電」 — a station that has not reported yet may have reached 5弱; count it as 5弱
    const int = c.maxInt ?? (c.condition?.includes('５弱以上未入電') ? '5-' : null);
    if (int && intensityRank(int) >= 0)
      hits.push({ code: c.code, name: c.name, intensity: int as Intensity });
  }
  for (const a of msg.body.areas) {
    if (a.code && codes.quakeArea.has(a.code) && intensityRank(a.maxInt) >= 0)
      hits.push({ code: a.code, name: a.name, intensity: a.maxInt as Intensity });
  }
  if (hits.length === 0) return { ok: false, reason: 'no intensity reported for the municipality’s codes' };
  const max = hits.reduce((a, b) => (intensityRank(b.intensity) > intensityRank(a.intensity) ? b : a));
  const min = rule.match.minIntensity;
  if (min && intensityRank(max.intensity) < intensityRank(min)) {
    return {
      ok: false,
      reason: `intensity ${intensityLabel(max.intensity)} in ${max.code} is below ${intensityLabel(min)}`,
    };
  }
  const top = hits.filter((h) => h.intensity === max.intensity);
  return {
    ok: true,
    facts: {
      matchedCodes: uniq(hits.map((h) => h.code)),
      kinds: [],
      severity: intensitySeverity(max.intensity),
      why: `intensity ${intensityLabel(max.intensity)} in ${top.map((h) => h.code).join(', ')}${min ? ` (≥ ${intensityLabel(min)})` : ''}`,
      placeholders: {
        area: areaLabel(
          top.map((h) => h.name),
          m,
        ),
        intensity: intensityLabel(max.intensity),
        hypocenter: msg.body.earthquake?.hypocenter?.name ?? '',
      },
    },
  };
}

function matchEew(msg: JmaMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  if (msg.body.family !== 'eew') return { ok: false, reason: 'not an EEW body' };
  const codes = codesFor(rule, m);
  const hits = msg.body.regions.filter(
    (r) =>
      ((r.code && codes.eewArea.has(r.code)) || (r.prefCode && codes.eewArea.has(r.prefCode))) &&
      (!rule.match.eewWarningOnly || (r.kindName ?? '').includes('警報')),
  );
  if (hits.length === 0) {
    return {
      ok: false,
      reason: rule.match.eewWarningOnly
        ? 'no EEW warning region among the municipality’s codes'
        : 'no EEW region among the municipality’s codes',
    };
  }
  const forecast = hits
    .map((h) => h.forecastInt?.from ?? null)
    .reduce<string | null>((a, b) => (intensityRank(b) > intensityRank(a) ? b : a), null);
  const min = rule.match.minIntensity;
  if (min && intensityRank(forecast) < intensityRank(min)) {
    return {
      ok: false,
      reason: `forecast intensity ${forecast ?? 'unknown'} is below ${intensityLabel(min)}`,
    };
  }
  return {
    ok: true,
    facts: {
      matchedCodes: uniq(hits.map((h) => h.code ?? h.prefCode ?? '').filter(Boolean)),
      kinds: ['緊急地震速報（警報）'],
      severity: Severity.Extreme,
      why: `EEW region ${hits.map((h) => h.code).join(', ')}${forecast ? ` (forecast ${intensityLabel(forecast)})` : ''}`,
      placeholders: {
        area: areaLabel(
          hits.map((h) => h.name),
          m,
        ),
        intensity: forecast ? intensityLabel(forecast) : '',
        hypocenter: msg.body.earthquake?.hypocenter?.name ?? '',
      },
    },
  };
}

function tsunamiLevel(kindName: string | null): TsunamiLevel | null {
  if (!kindName || kindName.includes('解除')) return null;
  if (kindName.startsWith('大津波警報')) return 'major_warning';
  if (kindName.startsWith('津波警報')) return 'warning';
  if (kindName.startsWith('津波注意報')) return 'advisory';
  return null;
}

const TSUNAMI_SEVERITY: Readonly<Record<TsunamiLevel, Severity>> = {
  major_warning: Severity.Extreme,
  warning: Severity.Severe,
  advisory: Severity.Moderate,
};

function matchTsunami(msg: JmaMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  if (msg.body.family !== 'tsunami') return { ok: false, reason: 'not a tsunami body' };
  const codes = codesFor(rule, m);
  const levels = rule.match.tsunamiLevels ?? ['major_warning', 'warning'];
  const mine = msg.body.forecastAreas.filter((a) => a.code && codes.tsunamiArea.has(a.code));
  const hits = mine
    .map((a) => ({ area: a, level: tsunamiLevel(a.kindName) }))
    .filter(
      (h): h is { area: typeof h.area; level: TsunamiLevel } => h.level !== null && levels.includes(h.level),
    );
  if (hits.length === 0) {
    return {
      ok: false,
      reason:
        mine.length === 0
          ? 'no 津波予報区 of the municipality in the telegram'
          : `kinds ${mine.map((a) => a.kindName).join(', ')} are not among ${levels.join(', ')}`,
    };
  }
  const top = hits.reduce((a, b) =>
    severityRank(TSUNAMI_SEVERITY[b.level]) > severityRank(TSUNAMI_SEVERITY[a.level]) ? b : a,
  );
  const kinds = uniq(hits.map((h) => (h.area.kindName ?? '').split('：')[0]));
  return {
    ok: true,
    facts: {
      matchedCodes: uniq(hits.map((h) => h.area.code ?? '')),
      kinds,
      severity: TSUNAMI_SEVERITY[top.level],
      why: `${kinds.join('、')} for 津波予報区 ${hits.map((h) => h.area.code).join(', ')}`,
      placeholders: {
        area: areaLabel(
          hits.map((h) => h.area.name),
          m,
        ),
        kind: kinds.join('・'),
      },
    },
  };
}

/** 警戒レベル → class: the number decides (a レベル４…危険警報 is danger_warning, never warning). */
const LEVEL_CLASS: Readonly<Record<AlertLevel, WarningLevel | null>> = {
  5: 'special_warning',
  4: 'danger_warning',
  3: 'warning',
  2: 'advisory',
  1: null,
};

/** The class of a kind: by its 警戒レベル when it has one, else by the word of an older name (特別警報 first). */
export function warningClass(w: Pick<LevelledWarning, 'level' | 'kindName'>): WarningLevel | null {
  if (w.level !== null) return LEVEL_CLASS[w.level];
  const name = w.kindName ?? '';
  if (name.includes('特別警報')) return 'special_warning';
  if (name.includes('危険警報')) return 'danger_warning';
  if (name.includes('警報')) return 'warning';
  if (name.includes('注意報')) return 'advisory';
  return null;
}

const WARNING_SEVERITY: Readonly<Record<WarningLevel, Severity>> = {
  special_warning: Severity.Extreme,
  danger_warning: Severity.Extreme,
  warning: Severity.Severe,
  advisory: Severity.Minor,
};

/** Severity of a matched kind: from its class; a level-4 土砂災害警戒情報 is a danger warning. */
function warningSeverity(w: LevelledWarning): Severity {
  const c = warningClass(w);
  return c ? WARNING_SEVERITY[c] : Severity.Severe;
}

/** Without warningLevels, levels or hazards a warning rule takes 特別警報, 危険警報 and 警報 (not 注意報). */
const DEFAULT_WARNING_CLASSES: readonly WarningLevel[] = ['special_warning', 'danger_warning', 'warning'];

function describeFilter(rule: FeedRule, classes: readonly WarningLevel[] | null): string {
  const parts = [
    classes ? classes.join('/') : null,
    rule.match.levels ? `level ${rule.match.levels.join('/')}` : null,
    rule.match.hazards ? rule.match.hazards.join('/') : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'warning';
}

function topOf(hits: LevelledWarning[]): LevelledWarning {
  return hits.reduce((a, b) => {
    const d = severityRank(warningSeverity(b)) - severityRank(warningSeverity(a));
    return d > 0 || (d === 0 && (b.level ?? 0) > (a.level ?? 0)) ? b : a;
  });
}

/**
 * VPWW53/54/55–61 (per 市町村等, each telegram the full current state: docs/feeds.md §1), VXWW50 and VXKO*: the
 * municipality's kinds in force, filtered by the rule's warning classes, 警戒レベル numbers and hazards.
 */
function matchWeather(msg: JmaMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  if (msg.body.family !== 'weather') return { ok: false, reason: 'not a weather body' };
  const codes = codesFor(rule, m);
  const landslide = msg.kind === 'weather.landslide_alert';
  const { levels, hazards } = rule.match;
  const classes =
    rule.match.warningLevels ?? (landslide || levels || hazards ? null : DEFAULT_WARNING_CLASSES);
  const mine = levelledWarnings(msg).filter((w) => codes.city.has(w.areaCode));
  const hits = mine.filter(
    (w) =>
      w.inForce &&
      (!landslide || w.kindCode !== '0') &&
      (!levels || (w.level !== null && levels.includes(w.level))) &&
      (!hazards || hazards.includes(w.hazard)) &&
      (!classes || classes.includes(warningClass(w) as WarningLevel)),
  );
  if (hits.length === 0) {
    if (landslide && !levels && !hazards && !rule.match.warningLevels) {
      return { ok: false, reason: '土砂災害警戒情報 is not in force for the municipality’s codes' };
    }
    return {
      ok: false,
      reason:
        mine.length === 0
          ? 'no 市町村等 of the municipality in the telegram'
          : `no ${describeFilter(rule, classes)} in force for ${uniq(mine.map((w) => w.areaCode)).join(', ')}`,
    };
  }
  const top = topOf(hits);
  // VXWW50 names its kind 「警戒」: the product is what residents know (レベル４土砂災害危険警報 since 2026)
  const landslideName = msg.head.title?.includes('レベル４土砂災害危険警報')
    ? 'レベル４土砂災害危険警報'
    : '土砂災害警戒情報';
  const kinds = uniq(hits.map((h) => (landslide ? landslideName : (h.kindName ?? ''))).filter(Boolean));
  const matchedCodes = uniq(hits.map((h) => h.areaCode));
  return {
    ok: true,
    facts: {
      matchedCodes,
      kinds,
      severity: warningSeverity(top),
      level: top.level,
      hazard: top.hazard,
      why: `${kinds.join('、')} ${landslide ? 'for' : 'in force for'} ${matchedCodes.join(', ')}`,
      placeholders: {
        area: areaLabel(
          hits.map((h) => h.areaName),
          m,
        ),
        kind: kinds.join('・'),
      },
    },
  };
}

function matchVolcano(msg: JmaMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  if (msg.body.family !== 'volcano') return { ok: false, reason: 'not a volcano body' };
  const codes = codesFor(rule, m);
  const hits = msg.body.volcanoInfos
    .flatMap((i) => i.items)
    .filter((it) => it.kind?.name && it.areas.some((a) => a.code && codes.city.has(a.code)));
  if (hits.length === 0) return { ok: false, reason: 'no 市町村等 of the municipality in the telegram' };
  const kinds = uniq(hits.map((h) => h.kind?.name ?? ''));
  const extreme = kinds.some((k) => k.includes('噴火警報') || k.includes('噴火速報') || k.includes('避難'));
  return {
    ok: true,
    facts: {
      matchedCodes: uniq(
        hits.flatMap((h) => h.areas.map((a) => a.code ?? '')).filter((c) => codes.city.has(c)),
      ),
      kinds,
      severity: extreme ? Severity.Extreme : Severity.Severe,
      why: `${kinds.join('、')} names the municipality`,
      placeholders: { area: m.name, kind: kinds.join('・') },
    },
  };
}

function matchJma(msg: JmaMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  switch (msg.body.family) {
    case 'earthquake':
      return matchEarthquake(msg, rule, m);
    case 'eew':
      return matchEew(msg, rule, m);
    case 'tsunami':
      return matchTsunami(msg, rule, m);
    case 'weather':
      return matchWeather(msg, rule, m);
    case 'volcano':
      return matchVolcano(msg, rule, m);
    case 'other':
      return { ok: false, reason: 'no rule semantics for this telegram type' };
  }
}

function matchJAlert(msg: JAlertMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  const types = rule.match.jalertTypes;
  if (types && !types.includes(msg.relay.type)) {
    return { ok: false, reason: `J-ALERT type ${msg.relay.type} is not among ${types.join(', ')}` };
  }
  const codes = codesFor(rule, m);
  const hits = msg.relay.areaCodes.filter((c) => codes.city.has(c));
  if (hits.length === 0) return { ok: false, reason: 'the J-ALERT message does not name the municipality' };
  const kind = JALERT_TYPE_NAMES[msg.relay.type];
  return {
    ok: true,
    facts: {
      matchedCodes: hits,
      kinds: [kind],
      severity: Severity.Extreme,
      why: `J-ALERT ${kind} for ${hits.join(', ')}`,
      placeholders: { area: m.name, kind, text: msg.relay.text },
    },
  };
}

const CAP_SEVERITY: Readonly<Record<string, Severity>> = {
  Extreme: Severity.Extreme,
  Severe: Severity.Severe,
  Moderate: Severity.Moderate,
  Minor: Severity.Minor,
};

/** CAP: the municipality is named by a geocode value in any of its code systems. */
function matchCap(msg: CapMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  const c = codesFor(rule, m);
  const all = new Set([...c.city, ...c.quakeArea, ...c.tsunamiArea, ...c.eewArea]);
  const infos = msg.infos.filter((i) =>
    i.areas.some((a) => a.geocodes.some((g) => g.value && all.has(g.value))),
  );
  if (infos.length === 0) return { ok: false, reason: 'no CAP area geocode names the municipality' };
  const severity = infos
    .map((i) => CAP_SEVERITY[i.severity ?? ''] ?? Severity.Unknown)
    .reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
  const kinds = uniq(infos.map((i) => i.event ?? '').filter(Boolean));
  return {
    ok: true,
    facts: {
      matchedCodes: uniq(
        infos.flatMap((i) => i.areas.flatMap((a) => a.geocodes.map((g) => g.value ?? ''))),
      ).filter((v) => all.has(v)),
      kinds,
      severity,
      why: `CAP ${kinds.join(', ')} names the municipality`,
      placeholders: { area: m.name, kind: kinds.join('・'), headline: infos[0].headline ?? '' },
    },
  };
}

// ---------------------------------------------------------------- evaluate

function placeholdersOf(msg: FeedMessage): Record<string, string> {
  switch (msg.format) {
    case 'jmaxml':
      return { time: jstLabel(msg.head.reportDateTime), headline: msg.head.headlineText ?? '' };
    case 'cap':
      return { time: jstLabel(msg.alert.sent) };
    case 'jalert':
      return { time: jstLabel(msg.relay.issuedAt) };
    case 'atom':
      return {};
  }
}

function match(msg: FeedMessage, rule: FeedRule, m: MunicipalityCodes): Match {
  switch (msg.format) {
    case 'jmaxml':
      return matchJma(msg, rule, m);
    case 'cap':
      return matchCap(msg, rule, m);
    case 'jalert':
      return matchJAlert(msg, rule, m);
    case 'atom':
      return { ok: false, reason: 'an Atom feed lists telegrams; it is not itself evaluated' };
  }
}

function targetingOf(rule: FeedRule, matchedCodes: string[]): Targeting {
  const t = rule.action.targeting;
  switch (t.mode) {
    case 'all':
      return { all: true };
    case 'matched':
      return { jmaCodes: matchedCodes };
    case 'jmaCodes':
      return { jmaCodes: [...t.jmaCodes] };
    case 'areas':
      return { areaIds: [...t.areaIds] };
  }
}

function decide(msg: FeedMessage, rule: FeedRule, m: MunicipalityCodes): RuleDecision {
  const base = { ruleId: rule.id, ruleName: rule.name };
  const no = (reason: string): RuleDecision => ({ ...base, fired: false, reason, draft: null });
  if (!rule.enabled) return no('rule disabled');
  if (msg.format === 'atom') return no('an Atom feed lists telegrams; it is not itself evaluated');
  if (!kindMatches(rule.match.kinds, msg.kind))
    return no(`kind ${msg.kind} is not among ${rule.match.kinds.join(', ')}`);
  // docs/feeds.md §1/§4: only 通常 / CAP Actual reach residents as real; 試験 and CAP Test/System/Draft never reach them
  if (msg.status.isTest) return no('test traffic (試験 / CAP Test, System, Draft) never reaches residents');
  const isDrill = msg.status.isTraining;
  if (isDrill && !rule.action.drill) return no('訓練 / CAP Exercise: this rule makes no drill alerts');
  if (!msg.status.isActual && !isDrill) return no('status is not actual');
  const result = match(msg, rule, m);
  if (!result.ok) return no(result.reason);
  const { facts } = result;
  const template = findFeedTemplate(rule.action.templateKey);
  let texts = fillPlaceholders(template?.texts ?? {}, { ...placeholdersOf(msg), ...facts.placeholders });
  if (isDrill) texts = markDrill(texts);
  return {
    ...base,
    fired: true,
    reason: `${isDrill ? 'drill: ' : ''}${facts.why}`,
    draft: {
      ruleId: rule.id,
      templateKey: rule.action.templateKey,
      severity: rule.action.severity ?? facts.severity,
      texts,
      targeting: targetingOf(rule, facts.matchedCodes),
      channels: [...rule.action.channels],
      autoSend: rule.action.autoSend,
      safetyRequest: rule.action.safetyRequest,
      isDrill,
      expiresInMinutes: rule.action.expiresInMinutes,
      suppressMinutes: rule.action.suppressMinutes,
      matchedCodes: facts.matchedCodes,
      kinds: facts.kinds,
      level: facts.level ?? null,
      hazard: facts.hazard ?? familyHazard(msg),
    },
  };
}

/** The phenomenon a message's family implies, where the matcher did not read one. */
function familyHazard(msg: FeedMessage): Hazard | null {
  if (msg.format !== 'jmaxml') return null;
  switch (msg.body.family) {
    case 'earthquake':
    case 'eew':
      return Hazard.Earthquake;
    case 'tsunami':
      return Hazard.Tsunami;
    case 'weather':
    case 'volcano':
    case 'other':
      return null;
  }
}

/**
 * Which of a municipality's rules fire for one message, why (or why not), and the alert each would create.
 * Pure: revisions, suppression and full-state comparison are `planFeedMessage`'s business.
 */
export function evaluateFeedRules(
  message: FeedMessage,
  rules: readonly FeedRule[],
  municipality: MunicipalityCodes,
): RuleDecision[] {
  return rules.map((rule) => decide(message, rule, municipality));
}

/** Every code the message names, per code system: which municipalities it may concern. */
export function messageCodes(msg: FeedMessage): {
  city: string[];
  quakeArea: string[];
  tsunamiArea: string[];
  eewArea: string[];
} {
  const out = {
    city: [] as (string | null)[],
    quakeArea: [] as (string | null)[],
    tsunamiArea: [] as (string | null)[],
    eewArea: [] as (string | null)[],
  };
  switch (msg.format) {
    case 'atom':
      break;
    case 'jalert':
      out.city.push(...msg.relay.areaCodes);
      break;
    case 'cap': {
      const values = msg.infos.flatMap((i) => i.areas.flatMap((a) => a.geocodes.map((g) => g.value)));
      out.city.push(...values);
      out.quakeArea.push(...values);
      out.tsunamiArea.push(...values);
      out.eewArea.push(...values);
      break;
    }
    case 'jmaxml': {
      const b = msg.body;
      switch (b.family) {
        case 'earthquake':
          out.city.push(...b.cities.map((c) => c.code));
          out.quakeArea.push(...b.areas.map((a) => a.code));
          break;
        case 'eew':
          out.eewArea.push(...b.regions.flatMap((r) => [r.code, r.prefCode]));
          break;
        case 'tsunami':
          out.tsunamiArea.push(...b.forecastAreas.map((a) => a.code));
          break;
        case 'weather':
          out.city.push(...b.municipalities.map((c) => c.code));
          out.city.push(
            ...b.warnings.flatMap((w) => (w.items ?? []).flatMap((i) => i.areas.map((a) => a.code))),
          );
          break;
        case 'volcano':
          out.city.push(
            ...b.volcanoInfos.flatMap((i) => i.items.flatMap((it) => it.areas.map((a) => a.code))),
          );
          break;
        case 'other':
          break;
      }
    }
  }
  const clean = (xs: (string | null)[]) => uniq(xs.filter((x): x is string => !!x));
  return {
    city: clean(out.city),
    quakeArea: clean(out.quakeArea),
    tsunamiArea: clean(out.tsunamiArea),
    eewArea: clean(out.eewArea),
  };
}
