import { renderAlertText } from '../alert-rendering';
import { Severity } from '../enums';
import { Hazard } from '../hazard';
import { EVACUATION_LEVELS, EvacuationLevel } from './levels';
import { OrderMessageKind } from './order';
import { orderMessageTexts, orderSeverity, type OrderWordingInput } from './wording';

const ARASHIMA = { code: '04', name: '荒島', nameKana: 'アラシマ' };
const HIROSE = { code: '05', name: '広瀬町' };
const at = new Date('2026-09-01T03:05:00Z'); // 12:05 JST

function input(
  kind: OrderMessageKind,
  level: EvacuationLevel,
  hazard: Hazard,
  over: Partial<OrderWordingInput> = {},
): OrderWordingInput {
  return {
    message: { kind, level, hazard, wholeMunicipality: false, districts: [ARASHIMA, HIROSE] },
    municipalityName: '安来市',
    openShelters: ['安来市民会館', '荒島公民館'],
    at,
    ...over,
  };
}

const WARNINGS = [
  OrderMessageKind.Issue,
  OrderMessageKind.Raise,
  OrderMessageKind.Lower,
  OrderMessageKind.Extend,
];
const full = (t: { title: string; body: string }) => `${t.title}\n${t.body}`;
const wide = (n: number) => String.fromCharCode(0xff10 + n);

/** What each language must say for a warning at each level: its level and its action. */
const ACTION: Record<'ja' | 'ja-easy' | 'en', Record<EvacuationLevel, string[]>> = {
  ja: {
    3: ['高齢者等避難', '避難してください'],
    4: ['避難指示', '全員避難を開始してください'],
    5: ['緊急安全確保', '命の危険', '直ちに身の安全を確保'],
  },
  'ja-easy': {
    3: ['おとしより', 'にげて ください'],
    4: ['ぜんいん すぐに にげて ください'],
    5: ['いのちが あぶない', 'いのちを まもって ください'],
  },
  en: {
    3: ['older people', 'must leave dangerous places now'],
    4: ['Evacuation instruction', 'must evacuate now'],
    5: ['Emergency safety measures', 'Your life is in danger', 'save your life immediately'],
  },
};

const LEVEL_WORD = {
  ja: (n: number) => `警戒レベル${wide(n)}`,
  'ja-easy': (n: number) => `けいかいレベル${wide(n)}`,
  en: (n: number) => `Alert Level ${n}`,
};

const DISTRICT = {
  ja: ['荒島地区', '広瀬町'],
  'ja-easy': ['荒島（あらしま）ちく', '広瀬町'],
  en: ['荒島', '広瀬町'],
};

describe(orderMessageTexts.name, () => {
  it('names district, level and action in every language for every level, hazard and warning kind', () => {
    for (const kind of WARNINGS) {
      for (const level of EVACUATION_LEVELS) {
        for (const hazard of Object.values(Hazard)) {
          const texts = orderMessageTexts(input(kind, level, hazard));
          for (const lang of ['ja', 'ja-easy', 'en'] as const) {
            const text = full(texts[lang]!);
            const expected = [...DISTRICT[lang], LEVEL_WORD[lang](level), ...ACTION[lang][level]];
            for (const part of expected)
              expect([kind, level, hazard, lang, text.includes(part)]).toEqual([
                kind,
                level,
                hazard,
                lang,
                true,
              ]);
          }
        }
      }
    }
  });

  it('names the hazard (in Japanese as the notices write it) unless it is `other`', () => {
    const flood = orderMessageTexts(input(OrderMessageKind.Issue, 4, Hazard.Flood));
    expect(flood.ja).toEqual({
      title: '【警戒レベル４】避難指示（洪水）',
      body:
        '荒島地区、広瀬町に洪水に関する警戒レベル４、避難指示を発令しました。荒島地区、広瀬町の方は、速やかに全員避難を開始してください。' +
        '開設している避難所：安来市民会館、荒島公民館。',
    });
    expect(flood['ja-easy']!.body).toContain('こうずい');
    expect(flood.en!.body).toContain('because of flooding');
    const landslide = orderMessageTexts(input(OrderMessageKind.Lift, 3, Hazard.Landslide));
    expect(landslide.ja!.body).toContain('土砂災害に関する');
    expect(landslide.en!.body).toContain('for landslides');
    const other = orderMessageTexts(input(OrderMessageKind.Issue, 4, Hazard.Other));
    expect(other.ja!.body.startsWith('荒島地区、広瀬町に警戒レベル４、避難指示を発令しました。')).toBe(true);
    expect(full(other.en!)).not.toMatch(/because of|\(\)/);
  });

  it('never mentions 高齢者等避難 in a Level 4 message, whatever the kind', () => {
    for (const kind of Object.values(OrderMessageKind)) {
      for (const hazard of Object.values(Hazard)) {
        const texts = orderMessageTexts(input(kind, EvacuationLevel.EvacuationInstruction, hazard));
        expect(full(texts.ja!)).not.toContain('高齢者等避難');
        expect(full(texts['ja-easy']!)).not.toContain('おとしより');
        expect(full(texts.en!)).not.toContain('older people');
      }
    }
  });

  it('words a lift (解除, with its time) and a retraction (取消, a mistake) differently, in every language', () => {
    for (const level of EVACUATION_LEVELS) {
      const lift = orderMessageTexts(input(OrderMessageKind.Lift, level, Hazard.Flood));
      const retract = orderMessageTexts(input(OrderMessageKind.Retract, level, Hazard.Flood));
      expect(lift.ja!.title.startsWith('【解除】')).toBe(true);
      expect(lift.ja!.body).toContain('12時5分、荒島地区、広瀬町の洪水に関する');
      expect(lift.ja!.body).toContain('は解除されました');
      expect(retract.ja!.title.startsWith('【取消】')).toBe(true);
      expect(retract.ja!.body).toContain('誤って発令したもの');
      expect(retract.ja!.body).toContain('取り消します');
      expect(lift['ja-easy']!.body).toContain('12:05に');
      expect(lift['ja-easy']!.body).toContain('おわりました');
      expect(retract['ja-easy']!.body).toContain('まちがいでした');
      expect(lift.en!.body).toContain('At 12:05');
      expect(lift.en!.body).toContain('was lifted');
      expect(retract.en!.body).toContain('by mistake');
      for (const lang of ['ja', 'ja-easy', 'en'] as const) {
        expect(full(lift[lang]!)).not.toEqual(full(retract[lang]!));
        expect(full(retract[lang]!)).not.toMatch(/解除|おわりました|lifted/);
        expect(full(lift[lang]!)).not.toMatch(/取消|取り消|まちがい|mistake/);
        // neither tells anyone to evacuate, nor lists shelters
        expect(full(lift[lang]!)).not.toMatch(/避難所|ひなんじょ|shelter/i);
      }
    }
  });

  it('words a shrink as a lift for the removed districts', () => {
    const shrink = orderMessageTexts(input(OrderMessageKind.Shrink, 4, Hazard.Flood));
    expect(shrink).toEqual(orderMessageTexts(input(OrderMessageKind.Lift, 4, Hazard.Flood)));
  });

  it('says when no shelter is open yet, and to go to a safe place', () => {
    const texts = orderMessageTexts(input(OrderMessageKind.Issue, 4, Hazard.Flood, { openShelters: [] }));
    expect(texts.ja!.body).toContain('避難所はまだ開設していません。安全な場所へ避難してください。');
    expect(texts['ja-easy']!.body).toContain('あんぜんな ところへ にげて ください');
    expect(texts.en!.body).toContain('No shelter is open yet: go to a safe place.');
  });

  it('names the whole municipality when the order covers it', () => {
    const texts = orderMessageTexts({
      ...input(OrderMessageKind.Issue, 5, Hazard.HeavyRain),
      message: {
        kind: OrderMessageKind.Issue,
        level: 5,
        hazard: Hazard.HeavyRain,
        wholeMunicipality: true,
        districts: [],
      },
    });
    expect(
      texts.ja!.body.startsWith('安来市全域に大雨に関する警戒レベル５、緊急安全確保を発令しました。'),
    ).toBe(true);
    expect(texts['ja-easy']!.body).toContain('安来市の ぜんぶ');
    expect(texts.en!.body).toContain('all of 安来市');
  });

  it('reaches residents of other languages through the renderer fallback (English, then やさしい日本語)', () => {
    const texts = orderMessageTexts(input(OrderMessageKind.Issue, 4, Hazard.Flood));
    expect(renderAlertText(texts, 'vi', { isDrill: false })).toMatchObject({
      language: 'en',
      title: texts.en!.title,
    });
    expect(renderAlertText(texts, 'ja-easy', { isDrill: true }).title).toBe(
      `【くんれん】${texts['ja-easy']!.title}`,
    );
  });
});

describe(orderSeverity.name, () => {
  it('rates Level 4 and 5 warnings extreme, Level 3 severe, and ends of orders minor', () => {
    expect(orderSeverity({ kind: OrderMessageKind.Issue, level: 5 })).toBe(Severity.Extreme);
    expect(orderSeverity({ kind: OrderMessageKind.Raise, level: 4 })).toBe(Severity.Extreme);
    expect(orderSeverity({ kind: OrderMessageKind.Extend, level: 3 })).toBe(Severity.Severe);
    expect(orderSeverity({ kind: OrderMessageKind.Lower, level: 3 })).toBe(Severity.Severe);
    for (const kind of [OrderMessageKind.Lift, OrderMessageKind.Shrink, OrderMessageKind.Retract]) {
      expect(orderSeverity({ kind, level: 5 })).toBe(Severity.Minor);
    }
  });
});
