import { Hazard } from '@bousai/domain';
import type {
  KindLevelFacts,
  LevelRating,
  MunicipalityWarning,
  RiverForecast,
  RiverMunicipality,
  WeatherArea,
  WeatherFacts,
  WeatherItem,
  WeatherKind,
  WeatherWarning,
} from '../normalised-message';
import { attrValue, childNamed, childrenNamed, textAt, type XmlElement } from '../xml/xml-element';
import { kindChange, kindLevel, landslideAlertLevel, ratingLevel } from './warning-level';

/**
 * Whether a Body/Warning lists 市町村等 (7-digit codes): the （市町村等） warning of VPWW53–61 and the single
 * warning of VXWW50 土砂災害警戒情報. Residents are matched against these.
 */
export function isMunicipalityWarning(type: string | null): boolean {
  return type !== null && (type.endsWith('（市町村等）') || type === '土砂災害警戒情報');
}

function itemAreas(item: XmlElement): WeatherArea[] {
  const areas: WeatherArea[] = [];
  const push = (area: XmlElement, inherited: string | null) =>
    areas.push({
      code: textAt(area, 'Code'),
      name: textAt(area, 'Name'),
      codeType: attrValue(area, 'codeType') ?? inherited,
    });
  for (const child of item.children) {
    if (child.name === 'Area') push(child, null);
    else if (child.name === 'Areas') {
      for (const area of childrenNamed(child, 'Area')) push(area, attrValue(child, 'codeType'));
    }
  }
  return areas;
}

/** Kind/Property/SignificancyPart/Base/Significancy: the 警戒レベル相当 ratings of VPWW55–61. */
function kindRatings(kind: XmlElement): LevelRating[] {
  return childrenNamed(kind, 'Property').flatMap((property) =>
    childrenNamed(childNamed(childNamed(property, 'SignificancyPart'), 'Base'), 'Significancy')
      .map((sig) => {
        const name = textAt(sig, 'Name');
        const code = textAt(sig, 'Code');
        return { type: attrValue(sig, 'type'), name, code, level: ratingLevel(name, code) };
      })
      .filter((r) => r.level !== null),
  );
}

/** The 2026 scheme's reading of one Kind element (docs/feeds.md §8). */
function levelFacts(kind: XmlElement, landslideAlert: boolean): KindLevelFacts {
  const name = textAt(kind, 'Name');
  const code = textAt(kind, 'Code');
  const last = childNamed(kind, 'LastKind');
  const lastKind = last ? { code: textAt(last, 'Code'), name: textAt(last, 'Name') } : null;
  const read = landslideAlert ? landslideAlertLevel : kindLevel;
  const { level, hazard } = read(name, code);
  const lastLevel = lastKind ? read(lastKind.name, lastKind.code).level : null;
  return {
    level,
    hazard,
    lastKind,
    lastLevel,
    change: kindChange(textAt(kind, 'Status'), level, lastLevel),
    ratings: kindRatings(kind),
  };
}

function itemKinds(item: XmlElement, landslideAlert: boolean): WeatherKind[] {
  return childrenNamed(item, 'Kind').map((kind) => ({
    code: textAt(kind, 'Code'),
    name: textAt(kind, 'Name'),
    status: textAt(kind, 'Status'),
    condition: textAt(kind, 'Condition'),
    ...levelFacts(kind, landslideAlert),
  }));
}

/**
 * 指定河川洪水予報 (VXKO*): the forecast's kind comes from the Headline (予報区域 / 河川 items: 氾濫警戒情報 30,
 * レベル４氾濫危険警報 …); the municipalities that may flood from Body's 浸水想定地区 item (Area/CityCode).
 */
function parseRiverForecast(body: XmlElement | null, headline: XmlElement | null): RiverForecast | null {
  const warning = childrenNamed(body, 'Warning').find((w) => attrValue(w, 'type') === '指定河川洪水予報');
  if (!warning) return null;
  const headItems = childrenNamed(headline, 'Information').flatMap((info) => childrenNamed(info, 'Item'));
  const headKind = headItems.map((item) => childNamed(item, 'Kind')).find((k) => k && textAt(k, 'Name'));
  const kind = headKind
    ? {
        code: textAt(headKind, 'Code'),
        name: textAt(headKind, 'Name'),
        condition: textAt(headKind, 'Condition'),
      }
    : null;
  const read = kindLevel(kind?.name ?? null, null);
  const rivers = new Map<string, { code: string | null; name: string | null }>();
  const municipalities: RiverMunicipality[] = [];
  for (const item of childrenNamed(warning, 'Item')) {
    for (const area of childrenNamed(childNamed(item, 'Areas'), 'Area')) {
      const codeType = attrValue(area, 'codeType') ?? attrValue(childNamed(item, 'Areas'), 'codeType');
      if (codeType === '河川') {
        const code = textAt(area, 'Code');
        rivers.set(code ?? '', { code, name: textAt(area, 'Name') });
      }
      const cityCode = textAt(area, 'CityCode');
      if (cityCode !== null) {
        municipalities.push({
          code: cityCode,
          name: textAt(area, 'City'),
          stationCode: textAt(area, 'Code'),
          subAreas: textAt(area, 'SubCityList'),
        });
      }
    }
  }
  return {
    kind,
    level: read.level,
    hazard: kind ? Hazard.Flood : read.hazard,
    lifted: kind?.name?.includes('解除') ?? false,
    rivers: [...rivers.values()],
    municipalities,
  };
}

/** VPWW53–61, VXWW50, VPOA50, VXKOii (and other meteorology telegrams' Body/Warning); `headline` is Head/Headline. */
export function parseWeatherFacts(body: XmlElement | null, headline: XmlElement | null = null): WeatherFacts {
  const warnings: WeatherWarning[] = [];
  const municipalities: MunicipalityWarning[] = [];
  for (const warning of childrenNamed(body, 'Warning')) {
    const type = attrValue(warning, 'type');
    const elements = childrenNamed(warning, 'Item');
    const items: WeatherItem[] = elements.map((item) => ({
      areas: itemAreas(item),
      kinds: itemKinds(item, type === '土砂災害警戒情報'),
      changeStatus: textAt(item, 'ChangeStatus'),
      fullStatus: textAt(item, 'FullStatus'),
    }));
    const municipal = isMunicipalityWarning(type);
    warnings.push({ type, itemCount: items.length, items: type?.endsWith('（市町村等）') ? null : items });
    if (!municipal) continue;
    for (const item of items) {
      for (const area of item.areas) {
        municipalities.push({
          code: area.code,
          name: area.name,
          kinds: item.kinds.map(({ condition: _condition, ...kind }) => kind),
          changeStatus: item.changeStatus,
        });
      }
    }
  }
  const target = childNamed(body, 'TargetArea');
  return {
    targetArea: target ? { code: textAt(target, 'Code'), name: textAt(target, 'Name') } : null,
    warnings,
    municipalities,
    municipalityCount: municipalities.length,
    notice: textAt(body, 'Notice'),
    bodyText: textAt(body, 'Text'),
    river: parseRiverForecast(body, headline),
  };
}
