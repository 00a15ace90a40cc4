import type {
  AreaIntensity,
  CityIntensity,
  Comments,
  EarthquakeFacts,
  EarthquakeInfoFacts,
  EarthquakeSummary,
  EewFacts,
  EewRegion,
  IntensityRange,
  PrefectureIntensity,
  TsunamiEstimation,
  TsunamiFacts,
  TsunamiForecastArea,
  TsunamiHeight,
  TsunamiObservationStation,
} from '../normalised-message';
import {
  at,
  attrValue,
  childNamed,
  childrenNamed,
  descendantsNamed,
  textAt,
  valueOf,
  type XmlElement,
} from '../xml/xml-element';

/** Body/Earthquake (地震の諸要素), shared by 地震情報, 緊急地震速報 and 津波 telegrams. */
export function parseEarthquake(body: XmlElement | null): EarthquakeSummary | null {
  const eq = childNamed(body, 'Earthquake');
  if (!eq) return null;
  const hypoArea = at(eq, 'Hypocenter', 'Area');
  const coordinate = childNamed(hypoArea, 'Coordinate');
  const magnitude = childNamed(eq, 'Magnitude');
  return {
    originTime: textAt(eq, 'OriginTime'),
    arrivalTime: textAt(eq, 'ArrivalTime'),
    hypocenter: hypoArea
      ? {
          name: textAt(hypoArea, 'Name'),
          code: textAt(hypoArea, 'Code'),
          coordinate: textAt(hypoArea, 'Coordinate'),
          coordinateDescription: attrValue(coordinate, 'description'),
        }
      : null,
    magnitude: magnitude
      ? {
          value: textAt(eq, 'Magnitude'),
          type: attrValue(magnitude, 'type'),
          condition: attrValue(magnitude, 'condition'),
          description: attrValue(magnitude, 'description'),
        }
      : null,
  };
}

/**
 * Body/Comments: each comment element (WarningComment, ForecastComment, VarComment, …) → its Code list
 * (fixed comments, 固定付加文); FreeFormComment, which has no code, → its text.
 */
export function parseComments(body: XmlElement | null): Comments {
  const entries = (childNamed(body, 'Comments')?.children ?? []).map((c): [string, string | null] => [
    c.name,
    childNamed(c, 'Code') ? textAt(c, 'Code') : valueOf(c),
  ]);
  // keys come from the document: fromEntries defines them as own data properties, even `__proto__`
  return Object.fromEntries(entries);
}

/** VXSE51/52/53 (and other 地震情報): observed intensities per prefecture, 細分区域, 市町村 and station. */
export function parseEarthquakeFacts(body: XmlElement | null): EarthquakeFacts {
  const observation = at(body, 'Intensity', 'Observation');
  const prefectures: PrefectureIntensity[] = [];
  const areas: AreaIntensity[] = [];
  const cities: CityIntensity[] = [];
  let intensityStationCount = 0;
  for (const pref of childrenNamed(observation, 'Pref')) {
    const prefCode = textAt(pref, 'Code');
    prefectures.push({ code: prefCode, name: textAt(pref, 'Name'), maxInt: textAt(pref, 'MaxInt') });
    for (const area of childrenNamed(pref, 'Area')) {
      const areaCode = textAt(area, 'Code');
      areas.push({
        code: areaCode,
        name: textAt(area, 'Name'),
        maxInt: textAt(area, 'MaxInt'),
        prefCode,
        maxLgInt: textAt(area, 'MaxLgInt'),
      });
      for (const city of childrenNamed(area, 'City')) {
        cities.push({
          code: textAt(city, 'Code'),
          name: textAt(city, 'Name'),
          maxInt: textAt(city, 'MaxInt'),
          condition: textAt(city, 'Condition'),
          areaCode,
        });
        intensityStationCount += childrenNamed(city, 'IntensityStation').length;
      }
    }
  }
  return {
    earthquake: parseEarthquake(body),
    maxInt: textAt(observation, 'MaxInt'),
    prefectures,
    areas,
    cities,
    cityCount: cities.length,
    intensityStationCount,
    comments: parseComments(body),
    bodyText: textAt(body, 'Text'),
    maxLgInt: textAt(observation, 'MaxLgInt'),
    lgCategory: textAt(observation, 'LgCategory'),
    earthquakeInfo: parseEarthquakeInfo(body),
  };
}

/** Body/EarthquakeInfo (VYSE50–52, VYSE60): the information's kind and its 情報番号コード. */
function parseEarthquakeInfo(body: XmlElement | null): EarthquakeInfoFacts | null {
  const info = childNamed(body, 'EarthquakeInfo');
  if (!info) return null;
  const serial = childNamed(info, 'InfoSerial');
  return {
    type: attrValue(info, 'type'),
    infoKind: textAt(info, 'InfoKind'),
    infoSerial: serial ? { name: textAt(serial, 'Name'), code: textAt(serial, 'Code') } : null,
  };
}

function range(el: XmlElement | null): IntensityRange | null {
  return el ? { from: textAt(el, 'From'), to: textAt(el, 'To') } : null;
}

/** VXSE42–45 緊急地震速報: forecast intensities per 細分区域 (EEW never goes below 細分区域). */
export function parseEewFacts(body: XmlElement | null): EewFacts {
  const forecast = at(body, 'Intensity', 'Forecast');
  const regions: EewRegion[] = [];
  for (const pref of childrenNamed(forecast, 'Pref')) {
    for (const area of childrenNamed(pref, 'Area')) {
      const kind = at(area, 'Category', 'Kind');
      regions.push({
        prefCode: textAt(pref, 'Code'),
        prefName: textAt(pref, 'Name'),
        code: textAt(area, 'Code'),
        name: textAt(area, 'Name'),
        kindCode: textAt(kind, 'Code'),
        kindName: textAt(kind, 'Name'),
        forecastInt: range(childNamed(area, 'ForecastInt')),
        forecastLgInt: range(childNamed(area, 'ForecastLgInt')),
        arrivalTime: textAt(area, 'ArrivalTime'),
        condition: textAt(area, 'Condition'),
      });
    }
  }
  return {
    earthquake: parseEarthquake(body),
    forecastMaxInt: range(childNamed(forecast, 'ForecastInt')),
    forecastMaxLgInt: range(childNamed(forecast, 'ForecastLgInt')),
    regions,
    regionCount: regions.length,
    nextAdvisory: textAt(body, 'NextAdvisory'),
    comments: parseComments(body),
    bodyText: textAt(body, 'Text'),
  };
}

function tsunamiHeight(parent: XmlElement | null): TsunamiHeight | null {
  const h = childNamed(parent, 'TsunamiHeight');
  if (!h) return null;
  return {
    value: textAt(parent, 'TsunamiHeight'),
    description: attrValue(h, 'description'),
    condition: attrValue(h, 'condition'),
  };
}

/** VTSE41/51/52: 津波予報区 with their kinds, observation stations, and (VTSE52) coastal estimations. */
export function parseTsunamiFacts(body: XmlElement | null): TsunamiFacts {
  const tsunami = childNamed(body, 'Tsunami');
  const forecastAreas: TsunamiForecastArea[] = [];
  const countByKindCode = new Map<string, number>();
  for (const item of childrenNamed(childNamed(tsunami, 'Forecast'), 'Item')) {
    const kind = at(item, 'Category', 'Kind');
    const lastKind = at(item, 'Category', 'LastKind');
    const firstHeight = childNamed(item, 'FirstHeight');
    const kindCode = textAt(kind, 'Code');
    forecastAreas.push({
      code: textAt(item, 'Area', 'Code'),
      name: textAt(item, 'Area', 'Name'),
      kindCode,
      kindName: textAt(kind, 'Name'),
      lastKindCode: textAt(lastKind, 'Code'),
      lastKindName: textAt(lastKind, 'Name'),
      firstHeight: firstHeight
        ? { arrivalTime: textAt(firstHeight, 'ArrivalTime'), condition: textAt(firstHeight, 'Condition') }
        : null,
      maxHeight: tsunamiHeight(childNamed(item, 'MaxHeight')),
      stationCount: childrenNamed(item, 'Station').length,
    });
    if (kindCode !== null) countByKindCode.set(kindCode, (countByKindCode.get(kindCode) ?? 0) + 1);
  }
  const observationStations: TsunamiObservationStation[] = [];
  for (const item of childrenNamed(childNamed(tsunami, 'Observation'), 'Item')) {
    const areaCode = textAt(item, 'Area', 'Code');
    for (const station of childrenNamed(item, 'Station')) {
      const maxHeight = childNamed(station, 'MaxHeight');
      observationStations.push({
        areaCode,
        code: textAt(station, 'Code'),
        name: textAt(station, 'Name'),
        maxHeight: tsunamiHeight(maxHeight),
        maxHeightCondition: textAt(maxHeight, 'Condition'),
      });
    }
  }
  const estimations: TsunamiEstimation[] = childrenNamed(childNamed(tsunami, 'Estimation'), 'Item').map(
    (item) => ({
      code: textAt(item, 'Area', 'Code'),
      name: textAt(item, 'Area', 'Name'),
      maxHeight: tsunamiHeight(childNamed(item, 'MaxHeight')),
    }),
  );
  return {
    earthquake: parseEarthquake(body),
    forecastAreas,
    // keys come from the document: fromEntries defines them as data, even `__proto__`
    forecastAreaCountByKindCode: Object.fromEntries(countByKindCode),
    observationStations,
    estimations,
    comments: parseComments(body),
    bodyText: textAt(body, 'Text'),
  };
}

/** Whether a seismology Body carries tsunami content (VTSE*), used when the title is not a known one. */
export function hasTsunami(body: XmlElement | null): boolean {
  return childNamed(body, 'Tsunami') !== null;
}

/** Whether a seismology Body is an EEW (forecast intensities rather than observed ones). */
export function hasIntensityForecast(body: XmlElement | null): boolean {
  return at(body, 'Intensity', 'Forecast') !== null || descendantsNamed(body, 'ForecastInt').length > 0;
}
