import { FeedErrorCode, FeedParseError } from '../feed-parse.error';
import type {
  JmaBody,
  JmaBodyFamily,
  JmaControl,
  JmaHead,
  JmaHeadlineInformation,
  JmaKind,
  JmaMessage,
  StatusFlags,
} from '../normalised-message';
import { attrValue, childNamed, childrenNamed, textAt, type XmlElement } from '../xml/xml-element';
import { parseWeatherFacts } from './jma-meteorology.parser';
import {
  hasIntensityForecast,
  hasTsunami,
  parseEarthquakeFacts,
  parseEewFacts,
  parseTsunamiFacts,
} from './jma-seismology.parser';
import { parseVolcanoFacts } from './jma-volcanology.parser';

/** Namespace of JMA's Report element (気象庁防災情報XMLフォーマット). */
export const JMA_REPORT_NAMESPACE = 'http://xml.kishou.go.jp/jmaxml1/';

interface KnownTitle {
  dataType: string | null;
  kind: string;
}

/**
 * Control/Title → data-type code and kind, for the titles in JMA's technical notes and sample set. The family
 * itself is decided from the Body's namespace, so an unknown or renamed title still parses (docs/feeds.md §1: expect
 * old and new titles side by side; do not hard-code titles for behaviour).
 */
const KNOWN_TITLES: ReadonlyMap<string, KnownTitle> = new Map(
  Object.entries({
    震度速報: { dataType: 'VXSE51', kind: 'earthquake.intensity_flash' },
    震源に関する情報: { dataType: 'VXSE52', kind: 'earthquake.hypocenter' },
    '震源・震度に関する情報': { dataType: 'VXSE53', kind: 'earthquake.hypocenter_intensity' },
    緊急地震速報配信テスト: { dataType: 'VXSE42', kind: 'eew.distribution_test' },
    '緊急地震速報（警報）': { dataType: 'VXSE43', kind: 'eew.warning' },
    '緊急地震速報（予報）': { dataType: 'VXSE44', kind: 'eew.forecast' },
    '緊急地震速報（地震動予報）': { dataType: 'VXSE45', kind: 'eew.ground_motion_forecast' },
    '津波警報・注意報・予報a': { dataType: 'VTSE41', kind: 'tsunami.warning_advisory_forecast' },
    津波情報a: { dataType: 'VTSE51', kind: 'tsunami.information' },
    沖合の津波観測に関する情報: { dataType: 'VTSE52', kind: 'tsunami.offshore_observation' },
    地震の活動状況等に関する情報: { dataType: 'VXSE56', kind: 'earthquake.activity' },
    地震回数に関する情報: { dataType: 'VXSE60', kind: 'earthquake.count' },
    顕著な地震の震源要素更新のお知らせ: { dataType: 'VXSE61', kind: 'earthquake.hypocenter_update' },
    長周期地震動に関する観測情報: { dataType: 'VXSE62', kind: 'earthquake.long_period_observation' },
    南海トラフ地震臨時情報: { dataType: 'VYSE50', kind: 'earthquake.nankai_trough_extraordinary' },
    // VYSE51 (臨時) and VYSE52 (定例) share this title: the type is known only from the telegram's name
    南海トラフ地震関連解説情報: { dataType: null, kind: 'earthquake.nankai_trough_explanation' },
    '北海道・三陸沖後発地震注意情報': { dataType: 'VYSE60', kind: 'earthquake.subsequent_quake_advisory' },
    '地震・津波に関するお知らせ': { dataType: 'VZSE40', kind: 'earthquake.notice' },
    '気象特別警報・警報・注意報': { dataType: 'VPWW53', kind: 'weather.warning' },
    '気象警報・注意報（Ｈ２７）': { dataType: 'VPWW54', kind: 'weather.warning_h27' },
    '気象警報・注意報（Ｒ０６）（大雨）': { dataType: 'VPWW55', kind: 'weather.warning_r06.heavy_rain' },
    // R06 scheme, one telegram per phenomenon (JMA XML 表1.1, 2026-01-29 edition)
    '気象警報・注意報（Ｒ０６）（土砂）': { dataType: 'VPWW56', kind: 'weather.warning_r06.landslide' },
    '気象警報・注意報（Ｒ０６）（高潮）': { dataType: 'VPWW57', kind: 'weather.warning_r06.storm_surge' },
    '気象警報・注意報（Ｒ０６）（暴風）': { dataType: 'VPWW58', kind: 'weather.warning_r06.storm' },
    '気象警報・注意報（Ｒ０６）（波浪）': { dataType: 'VPWW59', kind: 'weather.warning_r06.high_waves' },
    '気象警報・注意報（Ｒ０６）（大雪）': { dataType: 'VPWW60', kind: 'weather.warning_r06.heavy_snow' },
    '気象警報・注意報（Ｒ０６）（その他注意報）': {
      dataType: 'VPWW61',
      kind: 'weather.warning_r06.other_advisories',
    },
    土砂災害警戒情報: { dataType: 'VXWW50', kind: 'weather.landslide_alert' },
    記録的短時間大雨情報: { dataType: 'VPOA50', kind: 'weather.record_short_time_heavy_rain' },
    指定河川洪水予報: { dataType: 'VXKOii', kind: 'weather.designated_river_flood_forecast' },
    '噴火警報・予報': { dataType: 'VFVO50', kind: 'volcano.eruption_warning' },
    噴火に関する火山観測報: { dataType: 'VFVO52', kind: 'volcano.eruption_observation' },
    噴火速報: { dataType: 'VFVO56', kind: 'volcano.eruption_flash' },
  } satisfies Record<string, KnownTitle>),
);

function knownTitle(title: string | null): KnownTitle | undefined {
  return title === null ? undefined : KNOWN_TITLES.get(title);
}

/** Control/Status values (docs/feeds.md §1): only 通常 may reach residents as a real alert. */
export function jmaStatusFlags(status: string | null): StatusFlags {
  return { isActual: status === '通常', isTraining: status === '訓練', isTest: status === '試験' };
}

function required(parent: XmlElement, name: string, where: string): XmlElement {
  const el = childNamed(parent, name);
  if (!el)
    throw new FeedParseError(FeedErrorCode.JmaMissingField, `${where}/${name} is missing`, { field: name });
  return el;
}

function parseControl(report: XmlElement): JmaControl {
  const control = required(report, 'Control', 'Report');
  for (const name of ['Title', 'DateTime', 'Status']) {
    if (textAt(control, name) === null) {
      throw new FeedParseError(FeedErrorCode.JmaMissingField, `Control/${name} is missing or empty`, {
        field: name,
      });
    }
  }
  return {
    title: textAt(control, 'Title'),
    dateTime: textAt(control, 'DateTime'),
    status: textAt(control, 'Status'),
    editorialOffice: textAt(control, 'EditorialOffice'),
    publishingOffice: textAt(control, 'PublishingOffice'),
  };
}

function kindOf(el: XmlElement): JmaKind {
  return { name: textAt(el, 'Name'), code: textAt(el, 'Code'), condition: textAt(el, 'Condition') };
}

function parseHeadline(headline: XmlElement | null): JmaHeadlineInformation[] {
  return childrenNamed(headline, 'Information').map((info) => ({
    type: attrValue(info, 'type'),
    items: childrenNamed(info, 'Item').map((item) => {
      const areas = childNamed(item, 'Areas');
      return {
        kinds: childrenNamed(item, 'Kind').map(kindOf),
        lastKinds: childrenNamed(item, 'LastKind').map(kindOf),
        areaCodeType: attrValue(areas, 'codeType'),
        areas: childrenNamed(areas, 'Area').map((area) => ({
          name: textAt(area, 'Name'),
          code: textAt(area, 'Code'),
        })),
      };
    }),
  }));
}

function parseHead(report: XmlElement): JmaHead {
  const head = required(report, 'Head', 'Report');
  for (const name of ['Title', 'ReportDateTime', 'InfoType']) {
    if (textAt(head, name) === null) {
      throw new FeedParseError(FeedErrorCode.JmaMissingField, `Head/${name} is missing or empty`, {
        field: name,
      });
    }
  }
  const eventId = textAt(head, 'EventID');
  return {
    title: textAt(head, 'Title'),
    reportDateTime: textAt(head, 'ReportDateTime'),
    targetDateTime: textAt(head, 'TargetDateTime'),
    eventId,
    eventIds: eventId === null ? [] : eventId.split(/\s+/),
    infoType: textAt(head, 'InfoType'),
    serial: textAt(head, 'Serial'),
    infoKind: textAt(head, 'InfoKind'),
    infoKindVersion: textAt(head, 'InfoKindVersion'),
    headlineText: textAt(head, 'Headline', 'Text'),
    information: parseHeadline(childNamed(head, 'Headline')),
  };
}

/** Picks the body parser from the Body namespace (seismology1 / meteorology1 / volcanology1), then structure. */
function familyOf(body: XmlElement | null, control: JmaControl, head: JmaHead): JmaBodyFamily {
  const ns = body?.namespace ?? '';
  const known = knownTitle(control.title);
  if (ns.includes('/seismology')) {
    if (hasTsunami(body)) return 'tsunami';
    if (known) return known.kind.split('.')[0] as JmaBodyFamily;
    if (head.infoKind?.includes('緊急地震速報') || hasIntensityForecast(body)) return 'eew';
    if (head.infoKind?.includes('津波')) return 'tsunami';
    return 'earthquake';
  }
  if (ns.includes('/meteorology')) return 'weather';
  if (ns.includes('/volcanology')) return 'volcano';
  if (known) return known.kind.split('.')[0] as JmaBodyFamily;
  return 'other';
}

function parseBody(family: JmaBodyFamily, body: XmlElement | null, headline: XmlElement | null): JmaBody {
  switch (family) {
    case 'earthquake':
      return { family, ...parseEarthquakeFacts(body) };
    case 'eew':
      return { family, ...parseEewFacts(body) };
    case 'tsunami':
      return { family, ...parseTsunamiFacts(body) };
    case 'weather':
      return { family, ...parseWeatherFacts(body, headline) };
    case 'volcano':
      return { family, ...parseVolcanoFacts(body) };
    case 'other':
      return { family, bodyText: textAt(body, 'Text') };
  }
}

/**
 * The data type a telegram's own name carries: JMA's URL `…/data/20240101000000_0_VXKO70_270000.xml`, a captured
 * file `20230410231623_04156158_VXSE53.xml`, JMA's sample `16_02_02_220728_VXKOii.xml`. Upper-case only, so a
 * free-form name (the fixtures' `vxse53_…`) is not read as one.
 */
export function dataTypeFromName(name: string | null | undefined): string | null {
  const base = name ? (name.split(/[/\\]/).pop() ?? '').replace(/[?#].*$/, '') : '';
  const m = /(?:^|_)(V[A-Z]{3}(?:\d{2}|ii))(?=_|\.xml$)/.exec(base);
  return m ? m[1] : null;
}

function r06Kind(title: string | null): string | null {
  const m = title ? /^気象警報・注意報（Ｒ０６）（(.+)）$/.exec(title) : null;
  return m ? `weather.warning_r06.${m[1]}` : null;
}

/**
 * Normalises a JMA 防災情報XML Report (root element `Report`); `name` is the telegram's URL or file name, the
 * authority for its data type when it carries one.
 */
export function parseJmaReport(report: XmlElement, name?: string | null): JmaMessage {
  const control = parseControl(report);
  const head = parseHead(report);
  const body = childNamed(report, 'Body');
  const family = familyOf(body, control, head);
  const known = knownTitle(control.title);
  const r06 = family === 'weather' ? r06Kind(control.title) : null;
  const kind = known && known.kind.startsWith(`${family}.`) ? known.kind : (r06 ?? family);
  return {
    source: 'jma',
    format: 'jmaxml',
    kind,
    dataType: dataTypeFromName(name) ?? known?.dataType ?? null,
    namespace: report.namespace,
    control,
    head,
    status: jmaStatusFlags(control.status),
    body: parseBody(family, body, childNamed(childNamed(report, 'Head'), 'Headline')),
  };
}

/** Whether an element is a JMA Report root. */
export function isJmaReport(root: XmlElement): boolean {
  return (
    root.name === 'Report' &&
    (root.namespace === null || root.namespace.startsWith('http://xml.kishou.go.jp/'))
  );
}
