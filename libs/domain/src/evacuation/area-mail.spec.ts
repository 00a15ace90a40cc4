import { Hazard } from '../hazard';
import { EVACUATION_LEVELS, fullWidthDigit } from './levels';
import { type OrderDistrict, OrderMessageKind } from './order';
import { AREA_MAIL_BODY_MAX, AREA_MAIL_TITLE_MAX, areaMailDrafts, areaMailLength } from './area-mail';
import type { OrderWordingInput } from './wording';

const at = new Date('2026-09-01T03:05:00Z');

function input(
  kind: OrderMessageKind,
  level: 3 | 4 | 5,
  districts: OrderDistrict[],
  openShelters: string[] = ['安来市民会館'],
  hazard = Hazard.Landslide,
): OrderWordingInput {
  return {
    message: { kind, level, hazard, wholeMunicipality: false, districts },
    municipalityName: '安来市',
    openShelters,
    at,
  };
}

const districts = (n: number, name = (i: number) => `第${i + 1}自治会`) =>
  Array.from({ length: n }, (_, i) => ({ code: String(i + 1).padStart(3, '0'), name: name(i) }));

describe(areaMailDrafts.name, () => {
  it('drafts one mail with district, hazard, level, action and shelters when it fits', () => {
    const [mail, ...more] = areaMailDrafts(input(OrderMessageKind.Issue, 4, [{ code: '04', name: '荒島' }]));
    expect(more).toEqual([]);
    expect(mail).toEqual({
      title: '警戒レベル４避難指示',
      body:
        '【安来市】荒島地区に土砂災害に関する警戒レベル４、避難指示を発令しました。' +
        '対象地区の方は速やかに全員避難を開始してください。開設避難所：安来市民会館。',
      districtCodes: ['04'],
    });
    const flood = areaMailDrafts(
      input(OrderMessageKind.Issue, 4, [{ code: '04', name: '荒島' }], [], Hazard.Flood),
    );
    expect(flood[0].title).toBe('警戒レベル４避難指示（洪水）');
  });

  it('stays within the carriers’ limits for every kind, level and a long district list, never dropping a district', () => {
    const many = districts(45, (i) => `東地区第${i + 1}区画`);
    const shelters = Array.from({ length: 12 }, (_, i) => `第${i + 1}避難所（公民館）`);
    for (const kind of Object.values(OrderMessageKind)) {
      for (const level of EVACUATION_LEVELS) {
        const mails = areaMailDrafts(input(kind, level, many, shelters));
        expect(mails.flatMap((m) => m.districtCodes)).toEqual(many.map((d) => d.code));
        for (const [i, mail] of mails.entries()) {
          expect([kind, level, areaMailLength(mail.title) <= AREA_MAIL_TITLE_MAX]).toEqual([
            kind,
            level,
            true,
          ]);
          expect([kind, level, areaMailLength(mail.body) <= AREA_MAIL_BODY_MAX]).toEqual([kind, level, true]);
          expect(mail.body).toContain(`警戒レベル${fullWidthDigit(level)}`);
          expect(mail.body).not.toContain('\n');
          if (mails.length > 1)
            expect(mail.body.startsWith(`（${i + 1}/${mails.length}）【安来市】`)).toBe(true);
          for (const code of mail.districtCodes) {
            expect(mail.body).toContain(many.find((d) => d.code === code)!.name);
          }
        }
      }
    }
  });

  it('shortens the shelter list before the action, and the action before splitting', () => {
    const shelters = Array.from({ length: 20 }, (_, i) => `第${i + 1}地区公民館`);
    const [mail] = areaMailDrafts(input(OrderMessageKind.Issue, 4, districts(3), shelters));
    expect(mail.body).toContain('対象地区の方は速やかに全員避難を開始してください。');
    expect(mail.body).toMatch(/開設避難所：第1地区公民館、.*ほか。$/);
    expect(areaMailLength(mail.body)).toBeLessThanOrEqual(AREA_MAIL_BODY_MAX);

    const ten = areaMailDrafts(input(OrderMessageKind.Issue, 4, districts(14), shelters));
    expect(ten).toHaveLength(1);
    expect(ten[0].body).toContain('速やかに全員避難');
  });

  it('says the level-5 danger even in the short form', () => {
    for (const n of [1, 12, 40]) {
      for (const mail of areaMailDrafts(input(OrderMessageKind.Raise, 5, districts(n), []))) {
        expect(mail.body).toContain('命の危険');
        expect(mail.body).toContain('直ちに身の安全を確保');
        expect(mail.title).toBe('レベル５緊急安全確保に引上げ');
      }
    }
  });

  it('words lifts and retractions for the area mail too', () => {
    const [lift] = areaMailDrafts(input(OrderMessageKind.Lift, 4, [{ code: '04', name: '荒島' }]));
    expect(lift).toMatchObject({
      title: '避難指示解除（土砂災害）',
      body: '【安来市】12時5分、荒島地区の土砂災害に関する警戒レベル４、避難指示は解除されました。今後の情報に注意してください。',
    });
    const [retract] = areaMailDrafts(input(OrderMessageKind.Retract, 4, [{ code: '04', name: '荒島' }]));
    expect(retract.title).toBe('避難指示の取消（土砂災害）');
    expect(retract.body).toContain('誤りでした。取り消します。');
  });
});
