import type { AlertText, AlertTexts } from '../alert-content';
import { MUNICIPALITY_TIME_ZONE } from '../csv';
import { Severity } from '../enums';
import { HAZARD_NAMES_JA, Hazard } from '../hazard';
import {
  EVACUATION_LEVEL_NAMES_EN,
  EVACUATION_LEVEL_NAMES_JA,
  EvacuationLevel,
  fullWidthDigit,
} from './levels';
import { type OrderDistrict, type OrderMessage, OrderMessageKind } from './order';

/**
 * The standard wording of evacuation orders, written by hand in Japanese, やさしい日本語 and English; residents
 * reading another language get these through the renderer's fallback chain (`languageFallbackChain`). Every
 * message names the district(s), the hazard, the level and the action, following the Cabinet Office's pattern
 * 「○○地区に洪水に関する警戒レベル４、避難指示を発令しました。○○地区の方は速やかに全員避難を開始してください。」.
 * A lift (解除) says the order ended at a time; a retraction (取消) says it was issued by mistake — the two are
 * never worded alike. Only the level a message speaks of is named, so a Level 4 never mentions 高齢者等避難.
 */
export interface OrderWordingInput {
  message: Pick<OrderMessage, 'kind' | 'hazard' | 'level' | 'wholeMunicipality' | 'districts'>;
  /** 安来市: names the whole municipality (安来市全域) and signs area mails. */
  municipalityName: string;
  /** Names of the open shelters suitable for the hazard in those districts, nearest first. */
  openShelters: readonly string[];
  /** When the step happened: the time a lift names. */
  at: Date;
}

export type WordingLanguage = 'ja' | 'ja-easy' | 'en';
type Lang = WordingLanguage;

/** Names that already carry a place word are not given a second one (荒島 → 荒島地区, 広瀬町 stays). */
const PLACE_SUFFIX = /(地区|地域|学区|町|丁目|村|区|市|全域)$/;

function hiragana(katakana: string): string {
  return katakana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

/** The districts as each language names them: 「荒島地区、安来地区」, 「荒島（あらしま）ちく」, "荒島 and 安来 districts". */
export function districtPhrase(
  lang: Lang,
  target: { wholeMunicipality: boolean; districts: readonly OrderDistrict[] },
  municipalityName: string,
): string {
  if (target.wholeMunicipality) {
    if (lang === 'ja') return `${municipalityName}全域`;
    if (lang === 'ja-easy') return `${municipalityName}の ぜんぶ`;
    return `all of ${municipalityName}`;
  }
  const names = target.districts.map((d) => d.name.trim());
  if (lang === 'ja') return names.map((n) => (PLACE_SUFFIX.test(n) ? n : `${n}地区`)).join('、');
  if (lang === 'ja-easy') {
    return target.districts
      .map((d) => {
        const name = d.name.trim();
        const reading = d.nameKana ? `（${hiragana(d.nameKana.trim())}）` : '';
        return PLACE_SUFFIX.test(name) ? `${name}${reading}` : `${name}${reading}ちく`;
      })
      .join('、');
  }
  const plain = names.every((n) => !PLACE_SUFFIX.test(n));
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  if (!plain) return list;
  return names.length === 1 ? `the ${list} district` : `the ${list} districts`;
}

const HAZARD_EASY: Readonly<Record<Hazard, string>> = {
  [Hazard.HeavyRain]: 'おおあめ',
  [Hazard.Landslide]: 'どしゃさいがい（がけくずれ など）',
  [Hazard.Inundation]: 'しんすい（いえに みずが はいる こと）',
  [Hazard.Flood]: 'こうずい（かわの みずが あふれる こと）',
  [Hazard.StormSurge]: 'たかしお（うみの みずが たかく なる こと）',
  [Hazard.Tsunami]: 'つなみ',
  [Hazard.Earthquake]: 'じしん',
  [Hazard.Other]: '',
};

const HAZARD_EN: Readonly<Record<Hazard, string>> = {
  [Hazard.HeavyRain]: 'heavy rain',
  [Hazard.Landslide]: 'landslides',
  [Hazard.Inundation]: 'inundation',
  [Hazard.Flood]: 'flooding',
  [Hazard.StormSurge]: 'storm surge',
  [Hazard.Tsunami]: 'tsunami',
  [Hazard.Earthquake]: 'earthquake',
  [Hazard.Other]: '',
};

const LEVEL_EASY: Readonly<Record<EvacuationLevel, string>> = {
  [EvacuationLevel.ElderlyEvacuation]: 'おとしより などは にげて ください',
  [EvacuationLevel.EvacuationInstruction]: 'ぜんいん にげて ください',
  [EvacuationLevel.EmergencySafety]: 'いのちを まもって ください',
};

const LEVEL_EN = EVACUATION_LEVEL_NAMES_EN;

/** The hazard in a title: 「（洪水）」, " (flooding)"; nothing for `other`. */
export function hazardTag(lang: Lang, hazard: Hazard): string {
  if (hazard === Hazard.Other) return '';
  if (lang === 'ja') return `（${HAZARD_NAMES_JA[hazard]}）`;
  if (lang === 'ja-easy') return `（${HAZARD_EASY[hazard].replace(/（.*$/, '')}）`;
  return ` (${HAZARD_EN[hazard]})`;
}

function action(lang: Lang, level: EvacuationLevel, where: string): string {
  const texts: Record<Lang, Record<EvacuationLevel, string>> = {
    ja: {
      [EvacuationLevel.ElderlyEvacuation]:
        `${where}の高齢者、障害のある方など避難に時間のかかる方と、その支援者は、危険な場所から避難してください。` +
        'その他の方も避難の準備をし、危険を感じたら避難してください。',
      [EvacuationLevel.EvacuationInstruction]: `${where}の方は、速やかに全員避難を開始してください。`,
      [EvacuationLevel.EmergencySafety]:
        `${where}では災害が発生しているか、差し迫っています。命の危険があります。直ちに身の安全を確保してください。` +
        '避難所への移動がかえって危険なときは、近くの頑丈な建物の上の階や、崖から離れた部屋に移ってください。',
    },
    'ja-easy': {
      [EvacuationLevel.ElderlyEvacuation]:
        `${where}の おとしより、からだの ふじゆうな ひと、てつだう ひとは、あぶない ところから にげて ください。` +
        'ほかの ひとも にげる じゅんびを して ください。',
      [EvacuationLevel.EvacuationInstruction]: `${where}の ひとは、ぜんいん すぐに にげて ください。`,
      [EvacuationLevel.EmergencySafety]:
        `${where}では さいがいが おきて います。いのちが あぶないです。すぐに いのちを まもって ください。` +
        'そとに でるのが あぶない ときは、じょうぶな たてものの うえの かいや、がけから はなれた へやに いって ください。',
    },
    en: {
      [EvacuationLevel.ElderlyEvacuation]:
        `In ${where}, older people, people with disabilities and others who need time to evacuate, and those ` +
        'helping them, must leave dangerous places now. Everyone else: prepare to evacuate, and go if you feel in danger.',
      [EvacuationLevel.EvacuationInstruction]: `Everyone in ${where} must evacuate now.`,
      [EvacuationLevel.EmergencySafety]:
        `A disaster is happening or imminent in ${where}. Your life is in danger: take action to save your life ` +
        'immediately. If going to a shelter is dangerous, move to an upper floor of a sturdy building or a room away ' +
        'from slopes.',
    },
  };
  return texts[lang][level];
}

function shelters(lang: Lang, names: readonly string[]): string {
  const list = names.map((n) => n.trim()).filter((n) => n.length > 0);
  if (lang === 'ja') {
    return list.length > 0
      ? `開設している避難所：${list.join('、')}。`
      : '避難所はまだ開設していません。安全な場所へ避難してください。';
  }
  if (lang === 'ja-easy') {
    return list.length > 0
      ? `あいて いる ひなんじょ（にげる ところ）：${list.join('、')}。`
      : 'ひなんじょは まだ あいて いません。あんぜんな ところへ にげて ください。';
  }
  return list.length > 0
    ? `Open shelters: ${list.join(', ')}.`
    : 'No shelter is open yet: go to a safe place.';
}

/** Hours and minutes in the municipality's zone (JST). */
export function jstClock(at: Date): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: MUNICIPALITY_TIME_ZONE,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hour: get('hour'), minute: get('minute') };
}

export function clockText(lang: Lang, at: Date): string {
  const { hour, minute } = jstClock(at);
  if (lang === 'ja') return `${hour}時${minute}分`;
  return `${hour}:${String(minute).padStart(2, '0')}`;
}

/** 「警戒レベル４、避難指示」 and its counterparts. */
export function levelPhrase(lang: Lang, level: EvacuationLevel): string {
  if (lang === 'ja') return `警戒レベル${fullWidthDigit(level)}、${EVACUATION_LEVEL_NAMES_JA[level]}`;
  if (lang === 'ja-easy') return `けいかいレベル${fullWidthDigit(level)}「${LEVEL_EASY[level]}」`;
  return `Alert Level ${level} (${LEVEL_EN[level]})`;
}

/** 「洪水に関する」 and its counterparts; nothing for `other`. */
export function hazardLead(lang: Lang, hazard: Hazard): string {
  if (hazard === Hazard.Other) return '';
  if (lang === 'ja') return `${HAZARD_NAMES_JA[hazard]}に関する`;
  if (lang === 'ja-easy') return `${HAZARD_EASY[hazard]}の ため、`;
  return ` because of ${HAZARD_EN[hazard]}`;
}

/** The hazard where a message ends or withdraws an order: 「洪水に関する」, 「こうずいの 」, " for flooding". */
function hazardOf(lang: Lang, hazard: Hazard): string {
  if (hazard === Hazard.Other || lang === 'ja') return hazardLead(lang, hazard);
  if (lang === 'ja-easy') return `${HAZARD_EASY[hazard].replace(/（.*$/, '')}の `;
  return ` for ${HAZARD_EN[hazard]}`;
}

function textFor(lang: Lang, input: OrderWordingInput): AlertText {
  const { message, at } = input;
  const { kind, hazard, level } = message;
  const where = districtPhrase(lang, message, input.municipalityName);
  const lv = levelPhrase(lang, level);
  const n = fullWidthDigit(level);
  const tag = hazardTag(lang, hazard);
  const h = hazardLead(lang, hazard);
  const ho = hazardOf(lang, hazard);
  const name = EVACUATION_LEVEL_NAMES_JA[level];
  const warn = (lead: string) =>
    `${lead}${action(lang, level, where)}${lang === 'en' ? ' ' : ''}${shelters(lang, input.openShelters)}`;
  const sep = lang === 'en' ? ' ' : '';
  switch (kind) {
    case OrderMessageKind.Issue:
    case OrderMessageKind.Extend:
      if (lang === 'ja')
        return {
          title: `【警戒レベル${n}】${name}${tag}`,
          body: warn(`${where}に${h}${lv}を発令しました。`),
        };
      if (lang === 'ja-easy')
        return {
          title: `【けいかいレベル${n}】${LEVEL_EASY[level]}`,
          body: warn(`${where}に ${h}${lv}を だしました。`),
        };
      return {
        title: `Alert Level ${level}: ${LEVEL_EN[level]}${tag}`,
        body: warn(`${lv} has been issued for ${where}${h}.${sep}`),
      };
    case OrderMessageKind.Raise:
    case OrderMessageKind.Lower: {
      const up = kind === OrderMessageKind.Raise;
      if (lang === 'ja')
        return {
          title: `【警戒レベル${n}に${up ? '引上げ' : '引下げ'}】${name}${tag}`,
          body: warn(`${where}の${h}避難情報を、${lv}に${up ? '引き上げました' : '引き下げました'}。`),
        };
      if (lang === 'ja-easy')
        return {
          title: `【けいかいレベル${n}に ${up ? 'あがりました' : 'さがりました'}】${LEVEL_EASY[level]}`,
          body: warn(`${where}の ${h}ひなんの おしらせを ${lv}に ${up ? 'あげました' : 'さげました'}。`),
        };
      return {
        title: `${up ? 'Raised' : 'Lowered'} to Alert Level ${level}: ${LEVEL_EN[level]}${tag}`,
        body: warn(
          `The evacuation information${ho} in ${where} has been ${up ? 'raised' : 'lowered'} to ${lv}.${sep}`,
        ),
      };
    }
    case OrderMessageKind.Lift:
    case OrderMessageKind.Shrink:
      if (lang === 'ja')
        return {
          title: `【解除】${name}${tag}`,
          body: `${clockText(lang, at)}、${where}の${h}${lv}は解除されました。今後も気象情報などに注意してください。`,
        };
      if (lang === 'ja-easy')
        return {
          title: `【おわり】けいかいレベル${n}${tag}`,
          body: `${clockText(lang, at)}に ${where}の ${ho}${lv}は おわりました。これからも ニュースなどに ちゅういして ください。`,
        };
      return {
        title: `Lifted: ${LEVEL_EN[level]}${tag}`,
        body: `At ${clockText(lang, at)}, the ${lv}${ho} in ${where} was lifted. Keep following weather information.`,
      };
    case OrderMessageKind.Retract:
      if (lang === 'ja')
        return {
          title: `【取消】${name}${tag}`,
          body:
            `先ほど${where}に発令した${h}${lv}は、誤って発令したものです。この${name}を取り消します。` +
            '申し訳ありません。今後の情報に注意してください。',
        };
      if (lang === 'ja-easy')
        return {
          title: `【とりけし】けいかいレベル${n}${tag}`,
          body: `さきほど ${where}に だした ${ho}${lv}は まちがいでした。とりけします。ごめんなさい。これからの おしらせに ちゅういして ください。`,
        };
      return {
        title: `Retracted: ${LEVEL_EN[level]}${tag}`,
        body:
          `The ${lv}${ho} issued earlier in ${where} was issued by mistake and is withdrawn. We apologise. ` +
          'Keep following further information.',
      };
  }
}

/** The alert texts of one order message in Japanese, やさしい日本語 and English (others fall back to these). */
export function orderMessageTexts(input: OrderWordingInput): AlertTexts {
  return { ja: textFor('ja', input), 'ja-easy': textFor('ja-easy', input), en: textFor('en', input) };
}

/**
 * CAP severity of an order message (receivers and apps choose chime and volume by it): Level 4 and 5 orders are
 * `extreme` like 特別警報, Level 3 `severe`; a lift or a retraction ends a danger and is `minor`.
 */
export function orderSeverity(message: Pick<OrderMessage, 'kind' | 'level'>): Severity {
  switch (message.kind) {
    case OrderMessageKind.Lift:
    case OrderMessageKind.Shrink:
    case OrderMessageKind.Retract:
      return Severity.Minor;
    case OrderMessageKind.Issue:
    case OrderMessageKind.Raise:
    case OrderMessageKind.Lower:
    case OrderMessageKind.Extend:
      return message.level >= EvacuationLevel.EvacuationInstruction ? Severity.Extreme : Severity.Severe;
  }
}
