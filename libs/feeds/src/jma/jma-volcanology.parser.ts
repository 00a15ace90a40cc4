import type { VolcanoFacts, VolcanoItem } from '../normalised-message';
import { attrValue, childNamed, childrenNamed, textAt, type XmlElement } from '../xml/xml-element';

function kindOf(el: XmlElement | null): VolcanoItem['kind'] {
  return el
    ? { code: textAt(el, 'Code'), name: textAt(el, 'Name'), condition: textAt(el, 'Condition') }
    : null;
}

/** VFVO50/52/56 (and other volcanology telegrams): Body/VolcanoInfo per type, items with kinds and areas. */
export function parseVolcanoFacts(body: XmlElement | null): VolcanoFacts {
  return {
    volcanoInfos: childrenNamed(body, 'VolcanoInfo').map((info) => ({
      type: attrValue(info, 'type'),
      items: childrenNamed(info, 'Item').map((item) => ({
        kind: kindOf(childNamed(item, 'Kind')),
        lastKind: kindOf(childNamed(item, 'LastKind')),
        areas: childrenNamed(childNamed(item, 'Areas'), 'Area').map((area) => ({
          code: textAt(area, 'Code'),
          name: textAt(area, 'Name'),
        })),
        eventDateTime: textAt(item, 'EventTime', 'EventDateTime') ?? textAt(item, 'EventDateTime'),
      })),
    })),
    bodyText: textAt(body, 'Text'),
  };
}
