import { EVACUATION_LEVEL_NAMES_JA, EvacuationLevel, fullWidthDigit } from './levels';
import { type OrderDistrict, OrderMessageKind } from './order';
import {
  clockText,
  districtPhrase,
  hazardLead,
  hazardTag,
  levelPhrase,
  type OrderWordingInput,
} from './wording';

/**
 * The drafted 緊急速報メール (docomo エリアメール, au/SoftBank/楽天 緊急速報メール) of an order step. The carriers have
 * no public API: the office pastes the draft into the carriers' portals (or L-Alert relays it), so bousai only
 * drafts it within the limits common to all carriers:
 *
 * - title at most {@link AREA_MAIL_TITLE_MAX} full-width characters, body at most {@link AREA_MAIL_BODY_MAX}
 *   (the carriers' joint 「緊急速報メール配信の手引き」, NTTドコモ・KDDI・ソフトバンク・楽天モバイル, 第3.3版; the
 *   same 15 / 200 cut-offs appear in municipal multi-channel senders that copy a notice into the area-mail
 *   title and body fields).
 * - Every character is counted as a full-width one (a half-width character counts less at the carriers, so this
 *   never under-counts); the body has no line breaks, whose counting differs between carriers.
 *
 * Truncation never cuts the level, the action or a district name: the shelter list shortens first (「ほか」, then
 * a pointer to the municipality's site), then the action sentence takes its short form, and when the districts
 * alone do not fit the districts are split over several mails, numbered 「（1/2）」, each complete.
 */
export const AREA_MAIL_TITLE_MAX = 15;
export const AREA_MAIL_BODY_MAX = 200;

/** Length as the carriers' limits count it: one per character (code point), half-width included. */
export function areaMailLength(text: string): number {
  return [...text].length;
}

export interface AreaMailDraft {
  title: string;
  body: string;
  /** The districts this mail names (all of them unless the list had to be split). */
  districtCodes: string[];
}

const LONG_ACTION: Readonly<Record<EvacuationLevel, string>> = {
  [EvacuationLevel.ElderlyEvacuation]:
    '対象地区の高齢者、障害のある方など避難に時間のかかる方は避難を開始してください。その他の方も避難の準備をしてください。',
  [EvacuationLevel.EvacuationInstruction]: '対象地区の方は速やかに全員避難を開始してください。',
  [EvacuationLevel.EmergencySafety]:
    '災害が発生しているか差し迫っています。命の危険があります。直ちに身の安全を確保してください。',
};

const SHORT_ACTION: Readonly<Record<EvacuationLevel, string>> = {
  [EvacuationLevel.ElderlyEvacuation]: '避難に時間のかかる方は避難してください。',
  [EvacuationLevel.EvacuationInstruction]: '速やかに全員避難してください。',
  [EvacuationLevel.EmergencySafety]: '命の危険。直ちに身の安全を確保してください。',
};

function titleFor(input: OrderWordingInput): string {
  const { kind, level, hazard } = input.message;
  const n = fullWidthDigit(level);
  const name = EVACUATION_LEVEL_NAMES_JA[level];
  const tag = hazardTag('ja', hazard);
  const candidates: Record<OrderMessageKind, string[]> = {
    [OrderMessageKind.Issue]: [`警戒レベル${n}${name}${tag}`, `警戒レベル${n}${name}`],
    [OrderMessageKind.Extend]: [`警戒レベル${n}${name}${tag}`, `警戒レベル${n}${name}`],
    [OrderMessageKind.Raise]: [`警戒レベル${n}${name}に引上げ`, `レベル${n}${name}に引上げ`],
    [OrderMessageKind.Lower]: [`警戒レベル${n}${name}に引下げ`, `レベル${n}${name}に引下げ`],
    [OrderMessageKind.Lift]: [`${name}解除${tag}`, `${name}解除`],
    [OrderMessageKind.Shrink]: [`${name}解除${tag}`, `${name}解除`],
    [OrderMessageKind.Retract]: [`${name}の取消${tag}`, `${name}の取消`],
  };
  const list = candidates[kind];
  return list.find((t) => areaMailLength(t) <= AREA_MAIL_TITLE_MAX) ?? list.at(-1)!;
}

/** The sentence naming districts, hazard, level and what happened: the part never cut. */
function headFor(input: OrderWordingInput, districts: readonly OrderDistrict[]): string {
  const { kind, level, hazard, wholeMunicipality } = input.message;
  const where = districtPhrase('ja', { wholeMunicipality, districts }, input.municipalityName);
  const h = hazardLead('ja', hazard);
  const lv = levelPhrase('ja', level);
  const sign = `【${input.municipalityName}】`;
  switch (kind) {
    case OrderMessageKind.Issue:
    case OrderMessageKind.Extend:
      return `${sign}${where}に${h}${lv}を発令しました。`;
    case OrderMessageKind.Raise:
      return `${sign}${where}の${h}避難情報を${lv}に引き上げました。`;
    case OrderMessageKind.Lower:
      return `${sign}${where}の${h}避難情報を${lv}に引き下げました。`;
    case OrderMessageKind.Lift:
    case OrderMessageKind.Shrink:
      return `${sign}${clockText('ja', input.at)}、${where}の${h}${lv}は解除されました。`;
    case OrderMessageKind.Retract:
      return `${sign}先ほど${where}に発令した${h}${lv}は誤りでした。取り消します。`;
  }
}

function isWarning(kind: OrderMessageKind): boolean {
  return (
    kind === OrderMessageKind.Issue ||
    kind === OrderMessageKind.Extend ||
    kind === OrderMessageKind.Raise ||
    kind === OrderMessageKind.Lower
  );
}

/** The tail after the head, longest first: action and shelters, shortened step by step. */
function tails(input: OrderWordingInput): string[] {
  const { kind, level } = input.message;
  if (!isWarning(kind)) return ['今後の情報に注意してください。', ''];
  const names = input.openShelters.map((s) => s.trim()).filter((s) => s.length > 0);
  const shelterLines: string[] = [];
  if (names.length === 0) {
    shelterLines.push(
      '避難所は開設準備中です。安全な場所へ避難してください。',
      '安全な場所へ避難してください。',
    );
  } else {
    shelterLines.push(`開設避難所：${names.join('、')}。`);
    for (let k = names.length - 1; k >= 1; k--)
      shelterLines.push(`開設避難所：${names.slice(0, k).join('、')}ほか。`);
    shelterLines.push('開設避難所は市町村のホームページ等で確認してください。');
  }
  shelterLines.push('');
  const out: string[] = [];
  for (const actionText of [LONG_ACTION[level], SHORT_ACTION[level]]) {
    for (const s of shelterLines) out.push(`${actionText}${s}`);
  }
  return out;
}

function fitBody(head: string, options: readonly string[], room: number): string | null {
  for (const tail of options) {
    const body = `${head}${tail}`;
    if (areaMailLength(body) <= room) return body;
  }
  return null;
}

/**
 * The area-mail drafts of one order message: one mail when it fits, else one per group of districts. A single
 * district whose name alone overflows the body is still given its own mail with the name whole (the office sees
 * `areaMailLength(body) > AREA_MAIL_BODY_MAX` and shortens by hand); no automatic cut ever drops a district.
 */
export function areaMailDrafts(input: OrderWordingInput): AreaMailDraft[] {
  const title = titleFor(input);
  const options = tails(input);
  const { districts, wholeMunicipality } = input.message;
  const one = fitBody(headFor(input, districts), options, AREA_MAIL_BODY_MAX);
  if (one !== null || wholeMunicipality || districts.length <= 1) {
    const body = one ?? `${headFor(input, districts)}${options.at(-1)!}`;
    return [{ title, body, districtCodes: districts.map((d) => d.code) }];
  }
  // split: the numbering 「（1/9）」 takes 5 characters for up to 9 mails, 7 for up to 99
  const numbering = 7;
  const groups: OrderDistrict[][] = [];
  let current: OrderDistrict[] = [];
  for (const district of districts) {
    const tryGroup = [...current, district];
    const fits =
      fitBody(headFor(input, tryGroup), options.slice(-1), AREA_MAIL_BODY_MAX - numbering) !== null;
    if (fits || current.length === 0) current = tryGroup;
    else {
      groups.push(current);
      current = [district];
    }
  }
  groups.push(current);
  const prefix = (i: number) => `（${i + 1}/${groups.length}）`;
  // one wording for every mail of the split: the longest tail that fits them all
  const tail =
    options.find((t) =>
      groups.every((g, i) => areaMailLength(`${prefix(i)}${headFor(input, g)}${t}`) <= AREA_MAIL_BODY_MAX),
    ) ?? options.at(-1)!;
  return groups.map((group, i) => ({
    title,
    body: `${prefix(i)}${headFor(input, group)}${tail}`,
    districtCodes: group.map((d) => d.code),
  }));
}
