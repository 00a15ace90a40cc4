import { Role } from '@bousai/domain';
import type { DemoArea, DemoMunicipality, DemoOperator } from './demo-data';

/**
 * 安来市 (Yasugi, Shimane) with the JMA codes established in docs/feeds.md §2: 市町村等 3220600, 地震情報／細分区域 and
 * EEW 細分区域 570 島根県東部, 津波予報区 550 島根県出雲・石見.
 */
export const YASUGI: DemoMunicipality = {
  code: '322067',
  name: '安来市',
  nameKana: 'ヤスギシ',
  jmaCityCodes: ['3220600'],
  jmaQuakeAreaCodes: ['570'],
  jmaTsunamiAreaCodes: ['550'],
  jmaEewAreaCodes: ['570'],
};

const JMA_CITY = '3220600';
const JMA_QUAKE_EEW = '570';
const JMA_TSUNAMI = '550';

export interface YasugiDistrict {
  code: string;
  name: string;
  nameKana: string;
  /** On the 中海 shore, so inside 津波予報区 550; inland and mountain districts are not. */
  coastal: boolean;
  /** Relative share of the city's households (rough: the town centre is dense, the southern mountains sparse). */
  weight: number;
  /** Approximate district centre (WGS84), for map display only; households are scattered around it. */
  lat: number;
  lon: number;
}

/** Twelve of Yasugi's real districts (地区); the codes are our own. */
export const YASUGI_DISTRICTS: readonly YasugiDistrict[] = [
  { code: '01', name: '安来', nameKana: 'ヤスギ', coastal: true, weight: 16, lat: 35.431, lon: 133.254 },
  { code: '02', name: '十神', nameKana: 'トカミ', coastal: true, weight: 7, lat: 35.438, lon: 133.27 },
  { code: '03', name: '島田', nameKana: 'シマダ', coastal: true, weight: 7, lat: 35.436, lon: 133.232 },
  { code: '04', name: '荒島', nameKana: 'アラシマ', coastal: true, weight: 10, lat: 35.44, lon: 133.2 },
  { code: '05', name: '赤江', nameKana: 'アカエ', coastal: true, weight: 9, lat: 35.43, lon: 133.218 },
  { code: '06', name: '飯梨', nameKana: 'イイナシ', coastal: false, weight: 9, lat: 35.4, lon: 133.23 },
  { code: '07', name: '能義', nameKana: 'ノギ', coastal: false, weight: 6, lat: 35.39, lon: 133.25 },
  { code: '08', name: '宇賀荘', nameKana: 'ウカショウ', coastal: false, weight: 6, lat: 35.38, lon: 133.27 },
  { code: '09', name: '伯太', nameKana: 'ハクタ', coastal: false, weight: 11, lat: 35.36, lon: 133.3 },
  { code: '10', name: '広瀬', nameKana: 'ヒロセ', coastal: false, weight: 11, lat: 35.337, lon: 133.199 },
  { code: '11', name: '布部', nameKana: 'フベ', coastal: false, weight: 3, lat: 35.29, lon: 133.19 },
  { code: '12', name: '比田', nameKana: 'ヒダ', coastal: false, weight: 4, lat: 35.24, lon: 133.19 },
];

/** The districts as areas, each mapped to every JMA code system a telegram may target it by. */
export const YASUGI_AREAS: DemoArea[] = YASUGI_DISTRICTS.map((d) => ({
  code: d.code,
  name: d.name,
  nameKana: d.nameKana,
  jmaCityCode: JMA_CITY,
  jmaQuakeAreaCode: JMA_QUAKE_EEW,
  jmaTsunamiAreaCode: d.coastal ? JMA_TSUNAMI : null,
  jmaEewAreaCode: JMA_QUAKE_EEW,
}));

/** The console accounts of the demo: one per role. Reserved-style domain, no real mailbox. */
export const YASUGI_OPERATORS: readonly DemoOperator[] = [
  { email: 'admin@yasugi.example', displayName: '防災担当 管理者', role: Role.Admin },
  { email: 'approver@yasugi.example', displayName: '防災担当 承認者', role: Role.Approver },
  { email: 'operator@yasugi.example', displayName: '防災担当 操作者', role: Role.Operator },
  { email: 'viewer@yasugi.example', displayName: '防災担当 閲覧者', role: Role.Viewer },
];
