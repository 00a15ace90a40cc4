import type {
  MunicipalityWarning,
  WeatherArea,
  WeatherFacts,
  WeatherItem,
  WeatherKind,
  WeatherWarning,
} from '../normalised-message';
import { attrValue, childNamed, childrenNamed, textAt, type XmlElement } from '../xml/xml-element';

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

function itemKinds(item: XmlElement): WeatherKind[] {
  return childrenNamed(item, 'Kind').map((kind) => ({
    code: textAt(kind, 'Code'),
    name: textAt(kind, 'Name'),
    status: textAt(kind, 'Status'),
    condition: textAt(kind, 'Condition'),
  }));
}

/** VPWW53–61, VXWW50, VPOA50, VXKOii (and other meteorology telegrams' Body/Warning). */
export function parseWeatherFacts(body: XmlElement | null): WeatherFacts {
  const warnings: WeatherWarning[] = [];
  const municipalities: MunicipalityWarning[] = [];
  for (const warning of childrenNamed(body, 'Warning')) {
    const type = attrValue(warning, 'type');
    const elements = childrenNamed(warning, 'Item');
    const items: WeatherItem[] = elements.map((item) => ({
      areas: itemAreas(item),
      kinds: itemKinds(item),
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
          kinds: item.kinds.map(({ code, name, status }) => ({ code, name, status })),
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
  };
}
