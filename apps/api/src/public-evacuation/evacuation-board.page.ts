/**
 * The public evacuation board as one plain HTML page, server-rendered: no script, one small stylesheet allowed by
 * its hash, readable on a basic phone. Japanese, or English with `?lang=en` (names of places stay as the
 * municipality writes them). Every value is escaped with the project's `escapeHtml`.
 */

import { createHash } from 'node:crypto';
import {
  Crowding,
  CROWDING_LABELS,
  escapeHtml,
  fullWidthDigit,
  SHELTER_HAZARD_LABELS,
  ShelterHazard,
} from '@bousai/domain';
import type { PublicShelterDto } from '../shelters/shelters.dto';
import type { BoardOrderDto, EvacuationBoardDto } from './public-evacuation.dto';

export type BoardLanguage = 'ja' | 'en';

const STYLE =
  'body{font-family:system-ui,sans-serif;font-size:1.1rem;line-height:1.6;max-width:40em;margin:1em auto;' +
  'padding:0 1em;color:#111;background:#fff}h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:2px solid #111}' +
  '.l5{background:#111;color:#fff}.l4{background:#a0f;color:#fff}.l3{background:#f00;color:#fff}' +
  'h3 span{padding:0 .3em}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export const BOARD_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`,
  'Cache-Control': 'public, max-age=30',
};

const SHELTER_HAZARDS_EN: Readonly<Record<ShelterHazard, string>> = {
  [ShelterHazard.Flood]: 'flood',
  [ShelterHazard.Landslide]: 'landslide',
  [ShelterHazard.StormSurge]: 'storm surge',
  [ShelterHazard.Earthquake]: 'earthquake',
  [ShelterHazard.Tsunami]: 'tsunami',
  [ShelterHazard.LargeFire]: 'large fire',
  [ShelterHazard.InlandFlood]: 'inland flooding',
  [ShelterHazard.Volcano]: 'volcano',
};

const CROWDING_EN: Readonly<Record<Crowding, string>> = {
  [Crowding.Available]: 'space available',
  [Crowding.SomewhatCrowded]: 'somewhat crowded',
  [Crowding.Crowded]: 'crowded',
  [Crowding.Full]: 'full',
};

const WORDS = {
  ja: {
    title: (m: string) => `${m} 避難情報`,
    at: '更新',
    orders: '発令中の避難情報',
    noOrders: '現在、発令中の避難情報はありません。',
    districts: '対象地区',
    whole: '全域',
    issued: '発令',
    counts: (o: BoardOrderDto) => `対象 ${o.households}世帯・${o.people}人`,
    shelters: '開設中の避難所',
    noShelters: '現在、開設中の避難所はありません。',
    hazards: '対象とする災害',
    crowding: '混雑状況',
    unknown: '不明',
    other: 'English',
    list: '、',
  },
  en: {
    title: (m: string) => `${m}: evacuation information`,
    at: 'Updated',
    orders: 'Evacuation orders in force',
    noOrders: 'No evacuation order is in force.',
    districts: 'Districts',
    whole: 'the whole municipality',
    issued: 'Issued',
    counts: (o: BoardOrderDto) => `${o.households} households, ${o.people} people`,
    shelters: 'Open shelters',
    noShelters: 'No shelter is open.',
    hazards: 'For',
    crowding: 'Crowding',
    unknown: 'unknown',
    other: '日本語',
    list: ', ',
  },
} as const;

/** A time as people in Japan read it: JST, date and minute. */
function jst(at: Date | null, lang: BoardLanguage): string {
  if (!at) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo',
    month: lang === 'ja' ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

function orderHeading(o: BoardOrderDto, lang: BoardLanguage): string {
  return lang === 'ja'
    ? `警戒レベル${fullWidthDigit(o.level)} ${o.levelName}（${o.hazardName}）`
    : `Alert Level ${o.level}: ${o.levelNameEn} (${o.hazardNameEn})`;
}

function orderSection(o: BoardOrderDto, lang: BoardLanguage): string {
  const w = WORDS[lang];
  const where = o.wholeMunicipality ? w.whole : o.districts.map((d) => d.name).join(w.list);
  return (
    `<h3><span class="l${o.level}">${escapeHtml(orderHeading(o, lang))}</span></h3>\n<ul>` +
    `<li>${escapeHtml(w.districts)}: ${escapeHtml(where)}</li>` +
    `<li>${escapeHtml(w.issued)}: ${escapeHtml(jst(o.issuedAt, lang))}</li>` +
    `<li>${escapeHtml(w.counts(o))}</li></ul>`
  );
}

function shelterItem(s: PublicShelterDto, lang: BoardLanguage): string {
  const w = WORDS[lang];
  const hazards = s.hazards
    .map((h) => (lang === 'ja' ? SHELTER_HAZARD_LABELS[h] : SHELTER_HAZARDS_EN[h]))
    .join(w.list);
  const crowding = s.crowding ? (lang === 'ja' ? CROWDING_LABELS : CROWDING_EN)[s.crowding] : w.unknown;
  const lines = [
    `<strong>${escapeHtml(s.name)}</strong>`,
    s.address ? escapeHtml(s.address) : '',
    hazards ? `${escapeHtml(w.hazards)}: ${escapeHtml(hazards)}` : '',
    `${escapeHtml(w.crowding)}: ${escapeHtml(crowding)}`,
    s.location ? `${s.location.lat.toFixed(5)}, ${s.location.lng.toFixed(5)}` : '',
  ].filter(Boolean);
  return `<li>${lines.join('<br>')}</li>`;
}

export function evacuationBoardPage(board: EvacuationBoardDto, lang: BoardLanguage): string {
  const w = WORDS[lang];
  const title = w.title(board.municipality.name);
  const orders = board.orders.length
    ? board.orders.map((o) => orderSection(o, lang)).join('\n')
    : `<p>${escapeHtml(w.noOrders)}</p>`;
  const shelters = board.shelters.length
    ? `<ul>${board.shelters.map((s) => shelterItem(s, lang)).join('\n')}</ul>`
    : `<p>${escapeHtml(w.noShelters)}</p>`;
  const other = lang === 'ja' ? 'en' : 'ja';
  return (
    `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n` +
    `<p>${escapeHtml(w.at)}: ${escapeHtml(jst(board.at, lang))} · <a href="evacuation.html?lang=${other}">${escapeHtml(w.other)}</a></p>\n` +
    `<h2>${escapeHtml(w.orders)}</h2>\n${orders}\n<h2>${escapeHtml(w.shelters)}</h2>\n${shelters}\n</body></html>\n`
  );
}
