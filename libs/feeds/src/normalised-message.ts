import type { AlertLevel, Hazard } from '@bousai/domain';
import type { KindChange } from './jma/warning-level';

/**
 * One normalised shape for JMA 防災情報XML, CAP 1.1/1.2 and JMA's Atom feeds.
 *
 * Conventions (shared with test/fixtures/feeds/EXPECTED.json): values are element text as written (area codes keep
 * their leading zeros, times keep their offsets, intensities stay JMA strings such as "5-", "5+"); a missing or
 * empty element is null; lists keep document order.
 */
export type NormalisedMessage = JmaMessage | CapMessage | AtomFeedMessage;

export type FeedFormat = 'jmaxml' | 'cap' | 'atom';

/** Whether a message may reach residents as real; see docs/feeds.md §1 (Control/Status) and §4 (CAP status). */
export interface StatusFlags {
  /** 通常 / CAP Actual: the only status that may reach residents as a real alert. */
  isActual: boolean;
  /** 訓練 / CAP Exercise. */
  isTraining: boolean;
  /** 試験 / CAP Test, System and Draft: technical traffic, never shown to residents. */
  isTest: boolean;
}

// ---------------------------------------------------------------- JMA

export type JmaBodyFamily = 'earthquake' | 'eew' | 'tsunami' | 'weather' | 'volcano' | 'other';

export interface JmaMessage {
  source: 'jma';
  format: 'jmaxml';
  /** Family of the body, then a finer kind when the title is known: `earthquake.hypocenter_intensity`. */
  kind: string;
  /**
   * JMA data-type code (VXSE53, VPWW55, VXKO70 …): from the telegram's own name (its URL or file name,
   * `…_VXKO70_…`) when the caller gives one, else from a Control/Title that names a single type (`VXKOii` for a
   * 指定河川洪水予報 of unknown number); null when neither tells.
   */
  dataType: string | null;
  /** Namespace of the Report element. */
  namespace: string | null;
  control: JmaControl;
  head: JmaHead;
  status: StatusFlags;
  body: JmaBody;
}

export interface JmaControl {
  title: string | null;
  dateTime: string | null;
  status: string | null;
  editorialOffice: string | null;
  publishingOffice: string | null;
}

export interface JmaKind {
  name: string | null;
  code: string | null;
  condition: string | null;
}

export interface JmaArea {
  name: string | null;
  code: string | null;
}

export interface JmaHeadlineItem {
  /** Every Kind of the item, in document order. */
  kinds: JmaKind[];
  lastKinds: JmaKind[];
  areaCodeType: string | null;
  areas: JmaArea[];
}

export interface JmaHeadlineInformation {
  type: string | null;
  items: JmaHeadlineItem[];
}

export interface JmaHead {
  title: string | null;
  reportDateTime: string | null;
  targetDateTime: string | null;
  /** Head/EventID as written; tsunami telegrams may carry several ids separated by spaces. */
  eventId: string | null;
  /** `eventId` split on whitespace. */
  eventIds: string[];
  /** 発表 / 訂正 / 取消 (an open set: the XSD types it as a string). */
  infoType: string | null;
  serial: string | null;
  infoKind: string | null;
  infoKindVersion: string | null;
  headlineText: string | null;
  information: JmaHeadlineInformation[];
}

export type JmaBody =
  | ({ family: 'earthquake' } & EarthquakeFacts)
  | ({ family: 'eew' } & EewFacts)
  | ({ family: 'tsunami' } & TsunamiFacts)
  | ({ family: 'weather' } & WeatherFacts)
  | ({ family: 'volcano' } & VolcanoFacts)
  | { family: 'other'; bodyText: string | null };

export interface Hypocenter {
  name: string | null;
  code: string | null;
  coordinate: string | null;
  coordinateDescription: string | null;
}

export interface Magnitude {
  value: string | null;
  type: string | null;
  condition: string | null;
  description: string | null;
}

export interface EarthquakeSummary {
  originTime: string | null;
  arrivalTime: string | null;
  hypocenter: Hypocenter | null;
  magnitude: Magnitude | null;
}

/** Body/Comments: element name → its Code list (space-separated, as written). */
export type Comments = Record<string, string | null>;

export interface PrefectureIntensity {
  code: string | null;
  name: string | null;
  maxInt: string | null;
}

export interface AreaIntensity extends PrefectureIntensity {
  prefCode: string | null;
  /** 長周期地震動階級 of the area (VXSE62), as written; null elsewhere. */
  maxLgInt: string | null;
}

/** Body/EarthquakeInfo of VYSE50–52 (南海トラフ地震に関連する情報) and VYSE60 (北海道・三陸沖後発地震注意情報). */
export interface EarthquakeInfoFacts {
  type: string | null;
  infoKind: string | null;
  /** 情報番号コード: 巨大地震警戒 / 巨大地震注意 / 調査中 / 調査終了 / 臨時解説 / 定例解説 …, with its code; null for VYSE60. */
  infoSerial: { name: string | null; code: string | null } | null;
}

export interface CityIntensity extends PrefectureIntensity {
  condition: string | null;
  areaCode: string | null;
}

export interface EarthquakeFacts {
  earthquake: EarthquakeSummary | null;
  maxInt: string | null;
  prefectures: PrefectureIntensity[];
  /** 地震情報／細分区域 */
  areas: AreaIntensity[];
  /** 市町村等 (7-digit). */
  cities: CityIntensity[];
  cityCount: number;
  intensityStationCount: number;
  comments: Comments;
  bodyText: string | null;
  /** 長周期地震動階級 (VXSE62 Observation/MaxLgInt, "1"–"4"), as written; null elsewhere. */
  maxLgInt: string | null;
  /** VXSE62 Observation/LgCategory, as written. */
  lgCategory: string | null;
  /** VYSE50–52, VYSE60. */
  earthquakeInfo: EarthquakeInfoFacts | null;
}

export interface IntensityRange {
  from: string | null;
  to: string | null;
}

export interface EewRegion {
  prefCode: string | null;
  prefName: string | null;
  code: string | null;
  name: string | null;
  kindCode: string | null;
  kindName: string | null;
  forecastInt: IntensityRange | null;
  forecastLgInt: IntensityRange | null;
  arrivalTime: string | null;
  condition: string | null;
}

export interface EewFacts {
  earthquake: EarthquakeSummary | null;
  forecastMaxInt: IntensityRange | null;
  forecastMaxLgInt: IntensityRange | null;
  regions: EewRegion[];
  regionCount: number;
  nextAdvisory: string | null;
  comments: Comments;
  bodyText: string | null;
}

export interface TsunamiHeight {
  value: string | null;
  description: string | null;
  condition: string | null;
}

export interface TsunamiForecastArea {
  code: string | null;
  name: string | null;
  kindCode: string | null;
  kindName: string | null;
  lastKindCode: string | null;
  lastKindName: string | null;
  firstHeight: { arrivalTime: string | null; condition: string | null } | null;
  maxHeight: TsunamiHeight | null;
  stationCount: number;
}

export interface TsunamiObservationStation {
  areaCode: string | null;
  code: string | null;
  name: string | null;
  maxHeight: TsunamiHeight | null;
  maxHeightCondition: string | null;
}

export interface TsunamiEstimation {
  code: string | null;
  name: string | null;
  maxHeight: TsunamiHeight | null;
}

export interface TsunamiFacts {
  earthquake: EarthquakeSummary | null;
  /** 津波予報区 with their kinds. */
  forecastAreas: TsunamiForecastArea[];
  forecastAreaCountByKindCode: Record<string, number>;
  observationStations: TsunamiObservationStation[];
  estimations: TsunamiEstimation[];
  comments: Comments;
  bodyText: string | null;
}

export interface WeatherArea {
  code: string | null;
  name: string | null;
  codeType: string | null;
}

/** A 警戒レベル相当 rating a VPWW5x telegram gives a municipality (Kind/Property/SignificancyPart/Base/Significancy). */
export interface LevelRating {
  /** 大雨浸水危険度, 高潮危険度, 土砂災害危険度 … */
  type: string | null;
  name: string | null;
  /** 21 / 31 / 41 / 51 = 警戒レベル２–５相当. */
  code: string | null;
  level: AlertLevel | null;
}

/** What the 2026 scheme reads from a kind (docs/feeds.md §8); the raw code/name/status stay beside it. */
export interface KindLevelFacts {
  /** 警戒レベル from the number in the name (レベル４…), the river information's rating or the code; null if none. */
  level: AlertLevel | null;
  hazard: Hazard;
  /** The kind before this telegram (Kind/LastKind), as written. */
  lastKind: { code: string | null; name: string | null } | null;
  lastLevel: AlertLevel | null;
  /** Status read as a transition (発表 → issued, 警報から注意報 → lowered …); an unknown status stays `unknown`. */
  change: KindChange;
  /** 警戒レベル相当 ratings of the area (VPWW55–61). */
  ratings: LevelRating[];
}

export interface WeatherKind extends KindLevelFacts {
  code: string | null;
  name: string | null;
  status: string | null;
  condition: string | null;
}

export interface WeatherItem {
  areas: WeatherArea[];
  kinds: WeatherKind[];
  changeStatus: string | null;
  fullStatus: string | null;
}

export interface WeatherWarning {
  type: string | null;
  itemCount: number;
  /** Null for the （市町村等） warning: it is given as `municipalities`. */
  items: WeatherItem[] | null;
}

export interface MunicipalityWarning {
  /** 7-digit 市町村等 code. */
  code: string | null;
  name: string | null;
  kinds: ({ code: string | null; name: string | null; status: string | null } & KindLevelFacts)[];
  changeStatus: string | null;
}

/** A municipality a 指定河川洪水予報 names (浸水想定地区: Area/CityCode, 7-digit 市町村等). */
export interface RiverMunicipality {
  code: string | null;
  name: string | null;
  /** Water-level station the flooding is forecast from. */
  stationCode: string | null;
  /** 地区 names JMA lists (SubCityList), '-' meaning the whole municipality. */
  subAreas: string | null;
}

/** VXKO*: the forecast's kind and level for its rivers and the municipalities that may flood. */
export interface RiverForecast {
  kind: { code: string | null; name: string | null; condition: string | null } | null;
  level: AlertLevel | null;
  hazard: Hazard;
  /** Lifted (…解除), so nothing of this forecast is in force any more. */
  lifted: boolean;
  rivers: { code: string | null; name: string | null }[];
  municipalities: RiverMunicipality[];
}

export interface WeatherFacts {
  targetArea: { code: string | null; name: string | null } | null;
  warnings: WeatherWarning[];
  municipalities: MunicipalityWarning[];
  municipalityCount: number;
  notice: string | null;
  bodyText: string | null;
  /** 指定河川洪水予報 only. */
  river: RiverForecast | null;
}

export interface VolcanoItem {
  kind: { code: string | null; name: string | null; condition: string | null } | null;
  lastKind: { code: string | null; name: string | null; condition: string | null } | null;
  areas: { code: string | null; name: string | null }[];
  eventDateTime: string | null;
}

export interface VolcanoFacts {
  volcanoInfos: { type: string | null; items: VolcanoItem[] }[];
  bodyText: string | null;
}

// ---------------------------------------------------------------- CAP

export interface CapReference {
  sender: string | null;
  identifier: string | null;
  sent: string | null;
}

export interface CapAlertFields {
  namespace: string | null;
  identifier: string | null;
  sender: string | null;
  sent: string | null;
  status: string | null;
  msgType: string | null;
  source: string | null;
  scope: string | null;
  restriction: string | null;
  addresses: string | null;
  codes: (string | null)[];
  note: string | null;
  referencesRaw: string | null;
  references: CapReference[];
  incidents: string | null;
  /** An enveloped ds:Signature is present (IPAWS); it is not verified here. */
  hasSignature: boolean;
}

export interface CapValuePair {
  valueName: string | null;
  value: string | null;
}

export interface CapArea {
  areaDesc: string | null;
  polygons: (string | null)[];
  circles: (string | null)[];
  geocodes: CapValuePair[];
  altitude: string | null;
  ceiling: string | null;
}

export interface CapResource {
  resourceDesc: string | null;
  mimeType: string | null;
  size: string | null;
  uri: string | null;
  digest: string | null;
}

export interface CapInfo {
  /** Null when absent (CAP's default is en-US). */
  language: string | null;
  categories: (string | null)[];
  event: string | null;
  responseTypes: (string | null)[];
  urgency: string | null;
  severity: string | null;
  certainty: string | null;
  audience: string | null;
  eventCodes: CapValuePair[];
  effective: string | null;
  onset: string | null;
  expires: string | null;
  senderName: string | null;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  web: string | null;
  contact: string | null;
  parameters: CapValuePair[];
  resources: CapResource[];
  areas: CapArea[];
}

export interface CapMessage {
  source: 'cap';
  format: 'cap';
  kind: 'cap.alert';
  /** '1.2', '1.1' or '1.0' from the namespace. */
  capVersion: string;
  status: StatusFlags;
  alert: CapAlertFields;
  infos: CapInfo[];
}

// ---------------------------------------------------------------- Atom

export interface AtomEntry {
  id: string | null;
  title: string | null;
  updated: string | null;
  author: string | null;
  link: string | null;
  content: string | null;
}

export interface AtomFeedMessage {
  source: 'atom';
  format: 'atom';
  kind: 'feed.jmaxml_atom';
  feed: { title: string | null; subtitle: string | null; id: string | null; updated: string | null };
  entries: AtomEntry[];
}
