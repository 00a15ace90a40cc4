import type { Language } from '@bousai/domain';

/**
 * Small name lists for synthetic residents: common names combined at random, so no generated person is real.
 * Japanese entries are [kanji, katakana reading].
 */
export const SURNAMES: readonly (readonly [string, string])[] = [
  ['田中', 'タナカ'],
  ['山本', 'ヤマモト'],
  ['佐藤', 'サトウ'],
  ['高橋', 'タカハシ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['清水', 'シミズ'],
  ['山口', 'ヤマグチ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
  ['石川', 'イシカワ'],
  ['藤原', 'フジワラ'],
  ['岡田', 'オカダ'],
  ['原', 'ハラ'],
  ['福田', 'フクダ'],
  ['石橋', 'イシバシ'],
  ['景山', 'カゲヤマ'],
  ['安部', 'アベ'],
  ['足立', 'アダチ'],
  ['錦織', 'ニシコリ'],
  ['門脇', 'カドワキ'],
  ['内田', 'ウチダ'],
  ['永井', 'ナガイ'],
  ['細田', 'ホソダ'],
  ['矢田', 'ヤダ'],
];

export const GIVEN_NAMES: readonly (readonly [string, string])[] = [
  ['太郎', 'タロウ'],
  ['一郎', 'イチロウ'],
  ['健', 'ケン'],
  ['誠', 'マコト'],
  ['大輔', 'ダイスケ'],
  ['翔太', 'ショウタ'],
  ['蓮', 'レン'],
  ['悠真', 'ユウマ'],
  ['茂', 'シゲル'],
  ['勇', 'イサム'],
  ['浩', 'ヒロシ'],
  ['隆', 'タカシ'],
  ['花子', 'ハナコ'],
  ['幸子', 'サチコ'],
  ['和子', 'カズコ'],
  ['恵子', 'ケイコ'],
  ['由美', 'ユミ'],
  ['陽子', 'ヨウコ'],
  ['美咲', 'ミサキ'],
  ['さくら', 'サクラ'],
  ['結衣', 'ユイ'],
  ['陽菜', 'ヒナ'],
  ['千代', 'チヨ'],
  ['トメ', 'トメ'],
];

/**
 * Names for residents who read another language, written as a residence card does: surname first, Latin
 * letters upper-case. `ja-easy` households are foreign residents who prefer やさしい日本語.
 */
export const FOREIGN_NAMES: Readonly<Partial<Record<Language, { surnames: string[]; given: string[] }>>> = {
  'ja-easy': {
    surnames: ['REYES', 'CRUZ', 'BAUTISTA', 'GARCIA', 'MENDOZA'],
    given: ['MARIA', 'JOSE', 'ANGELICA', 'MARK', 'JOY'],
  },
  en: { surnames: ['SMITH', 'BROWN', 'WILSON', 'TAYLOR'], given: ['JAMES', 'EMMA', 'OLIVER', 'SOPHIE'] },
  'zh-CN': { surnames: ['王', '李', '张', '刘', '陈'], given: ['伟', '芳', '娜', '敏', '静', '磊'] },
  vi: {
    surnames: ['NGUYEN', 'TRAN', 'LE', 'PHAM', 'HOANG'],
    given: ['VAN AN', 'THI LAN', 'MINH DUC', 'THI HOA', 'QUANG HUY'],
  },
  pt: {
    surnames: ['SILVA', 'SANTOS', 'OLIVEIRA', 'SOUZA', 'PEREIRA'],
    given: ['ANA', 'JOAO', 'MARIA', 'LUCAS', 'GABRIEL'],
  },
  ko: { surnames: ['김', '이', '박', '최'], given: ['민준', '서연', '지훈', '수빈'] },
  ne: {
    surnames: ['GURUNG', 'TAMANG', 'SHRESTHA', 'RAI'],
    given: ['BIKASH', 'SITA', 'RAMESH', 'ANITA'],
  },
};
