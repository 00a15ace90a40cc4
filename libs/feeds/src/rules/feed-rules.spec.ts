import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Severity } from '@bousai/domain';
import { parseFeedDocument } from '../feed-document.parser';
import type { JmaMessage } from '../normalised-message';
import { feedFixturesDir } from '../testing/feed-fixtures';
import { defaultFeedRules } from './default-feed-rules';
import { evaluateFeedRules, type FeedMessage, type MunicipalityCodes } from './evaluate-feed-rules';
import { parseFeedRule, parseFeedRuleSet } from './feed-rule.schema';
import { decideRevision, feedIdentity } from './feed-revision';
import { type JAlertRelay, JAlertType, toJAlertMessage } from './jalert-message';
import { InMemoryFeedReplayer } from './feed-replayer';
import { planFeedMessage } from './plan-feed-message';

const dir = feedFixturesDir();
const jma = (file: string) => parseFeedDocument(readFileSync(path.join(dir, 'jmaxml', file))) as JmaMessage;

/** docs/feeds.md §2: 安来市. */
const YASUGI: MunicipalityCodes = {
  name: '安来市',
  cityCodes: ['3220600'],
  quakeAreaCodes: ['570'],
  tsunamiAreaCodes: ['550'],
  eewAreaCodes: ['570'],
};
/** A municipality placed where a fixture's event happened; codes as the fixtures write them. */
const town = (over: Partial<MunicipalityCodes>): MunicipalityCodes => ({
  name: 'テスト町',
  cityCodes: [],
  quakeAreaCodes: [],
  tsunamiAreaCodes: [],
  eewAreaCodes: [],
  ...over,
});

const rules = defaultFeedRules();
const fired = (msg: FeedMessage, m: MunicipalityCodes, r = rules) =>
  evaluateFeedRules(msg, r, m).filter((d) => d.fired);

const missile = (over: Partial<JAlertRelay> = {}) =>
  toJAlertMessage({
    id: 'ja-1',
    type: JAlertType.BallisticMissile,
    status: 'actual',
    infoType: 'issue',
    areaCodes: ['3220600', '3220100'],
    text: 'ミサイル発射情報。当地域に着弾する可能性があります。屋内に避難し、テレビ・ラジオをつけてください。',
    issuedAt: '2026-11-24T10:00:00+09:00',
    ...over,
  });

describe('feed rule schema', () => {
  it('accepts the default rule set', () => {
    expect(rules.map((r) => r.id)).toEqual([
      'earthquake-5-lower',
      'tsunami-warning',
      'weather-special-warning',
      'weather-danger-warning',
      'weather-warning',
      'landslide-alert',
      'river-flood-danger',
      'eew-warning',
      'jalert-civil-protection',
    ]);
  });

  it('names the failing path of an invalid rule', () => {
    const valid = { ...rules[0] };
    expect(() => parseFeedRule({ ...valid, match: { ...valid.match, minIntensity: '5弱' } })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: { issues: [expect.objectContaining({ path: 'match.minIntensity' })] },
      }),
    );
    expect(() => parseFeedRule({ ...valid, action: { ...valid.action, templateKey: 'nope' } })).toThrow(
      /action\.templateKey/,
    );
    expect(() => parseFeedRule({ ...valid, match: { ...valid.match, kinds: ['quake'] } })).toThrow(
      /match\.kinds\.0/,
    );
    expect(() => parseFeedRuleSet([valid, valid])).toThrow(/1\.id: duplicate rule id/);
  });
});

describe('evaluateFeedRules on the real fixtures', () => {
  it('VPWW54 Shimane 2016-02-12: 安来市 has only 注意報, so nothing fires for it', () => {
    const msg = jma('weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml');
    const decisions = evaluateFeedRules(msg, rules, YASUGI);

    expect(decisions.filter((d) => d.fired)).toEqual([]);
    expect(decisions.find((d) => d.ruleId === 'weather-warning')?.reason).toBe(
      'no warning in force for 3220600',
    );
  });

  it('VPWW54 Shimane 2016-02-12: 浜田市 gets the 大雨特別警報, sent without approval', () => {
    const [d] = fired(
      jma('weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml'),
      town({ name: '浜田市', cityCodes: ['3220200'] }),
    );

    expect(d.ruleId).toBe('weather-special-warning');
    expect(d.draft).toMatchObject({
      severity: Severity.Extreme,
      autoSend: true,
      safetyRequest: true,
      isDrill: false,
      kinds: ['大雨特別警報'],
      matchedCodes: ['3220200'],
      targeting: { all: true },
    });
    expect(d.draft?.texts.ja?.title).toBe('【気象庁発表】浜田市 大雨特別警報');
    expect(d.draft?.texts.ja?.body).toContain(
      '2016年2月12日 15時44分 気象庁は浜田市に大雨特別警報を発表しています。',
    );
  });

  it('uses one of the duplicate pair VPWW53/54: the VPWW53 copy fires nothing', () => {
    const msg = jma('weather/vpww53_shimane_20160212_heavy-rain-special-warning.xml');
    expect(fired(msg, town({ cityCodes: ['3220200'] }))).toEqual([]);
  });

  it('VPWW55 (R06) Shimane 2024-11-02: 安来市 レベル３大雨警報 waits for approval', () => {
    const [d] = fired(jma('weather/vpww55_shimane_20241102_r06-heavy-rain.xml'), YASUGI);

    expect(d.ruleId).toBe('weather-warning');
    expect(d.draft).toMatchObject({
      severity: Severity.Severe,
      autoSend: false,
      kinds: ['レベル３大雨警報'],
    });
    expect(d.draft?.texts.ja?.title).toBe('【気象庁発表】安来市 レベル３大雨警報');
  });

  it('VXSE53 2008 岩手・宮城: 震度6強 in a 市町村等 fires with safety confirmation; 震度4 does not', () => {
    const msg = jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml');
    const [d] = fired(msg, town({ name: '奥州市', cityCodes: ['0321500'] }));

    expect(d.ruleId).toBe('earthquake-5-lower');
    expect(d.draft).toMatchObject({ severity: Severity.Extreme, autoSend: false, safetyRequest: true });
    expect(d.draft?.texts.ja?.title).toBe('【地震情報】奥州市 震度６強');
    expect(d.draft?.texts.ja?.body).toContain('岩手県内陸南部で地震があり');

    const weak = msg.body.family === 'earthquake' ? msg.body.cities.find((c) => c.maxInt === '4') : undefined;
    const none = evaluateFeedRules(msg, rules, town({ cityCodes: [weak?.code ?? ''] }));
    expect(none.every((x) => !x.fired)).toBe(true);
    expect(none[0].reason).toMatch(/intensity ４ in \d+ is below ５弱/);
  });

  it('matches 地震情報／細分区域 codes in their own system only', () => {
    const msg = jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml');
    expect(fired(msg, town({ quakeAreaCodes: ['213'] }))).toHaveLength(1);
    // 213 as a 津波予報区 or EEW code names another place: no match
    expect(fired(msg, town({ tsunamiAreaCodes: ['213'], eewAreaCodes: ['213'] }))).toEqual([]);
  });

  it('VTSE41 2011-03-11: 大津波警報 for 岩手県 is sent to the matched 津波予報区 without approval', () => {
    const [d] = fired(
      jma('tsunami/vtse41_20110311144640_major-warning.xml'),
      town({ tsunamiAreaCodes: ['210'] }),
    );

    expect(d.draft).toMatchObject({
      severity: Severity.Extreme,
      autoSend: true,
      kinds: ['大津波警報'],
      targeting: { jmaCodes: ['210'] },
    });
    expect(d.draft?.texts.ja?.title).toBe('【大津波警報】直ちに避難');
  });

  it('a 津波注意報 alone does not meet the default tsunami rule', () => {
    const msg = jma('tsunami/vtse41_20110311144640_major-warning.xml');
    const advisory =
      msg.body.family === 'tsunami' ? msg.body.forecastAreas.find((a) => a.kindCode === '62') : undefined;
    expect(fired(msg, town({ tsunamiAreaCodes: [advisory?.code ?? ''] }))).toEqual([]);
  });

  it('VXSE43 EEW warning fires for its 細分区域 and for its EEW 府県予報区', () => {
    const msg = jma('eew/vxse43_20240417231454_s1_bungo-channel.xml');
    expect(fired(msg, town({ eewAreaCodes: ['622'] }))[0]).toMatchObject({
      ruleId: 'eew-warning',
      draft: { autoSend: true, severity: Severity.Extreme },
    });
    expect(fired(msg, town({ eewAreaCodes: ['9380'] }))).toHaveLength(1);
    expect(fired(msg, YASUGI)).toEqual([]);
  });

  it('VXWW50 Okayama: 土砂災害警戒情報 for 高梁市, none for 岡山市 (なし)', () => {
    const msg = jma('weather/vxww50_okayama_20130902_s1.xml');
    expect(fired(msg, town({ name: '高梁市', cityCodes: ['3320900'] }))[0]).toMatchObject({
      ruleId: 'landslide-alert',
      draft: { autoSend: false, kinds: ['土砂災害警戒情報'] },
    });
    expect(fired(msg, town({ cityCodes: ['3310000'] }))).toEqual([]);
  });

  it('訓練: a drill telegram makes no real alert, and a drill alert only where the rule asks for one', () => {
    const msg = jma('tsunami/vtse41_20160901071000_major-warning_drill.xml');
    const ibaraki = town({ tsunamiAreaCodes: ['300'] });
    const decisions = evaluateFeedRules(msg, rules, ibaraki);

    expect(decisions.some((d) => d.fired)).toBe(false);
    expect(decisions.find((d) => d.ruleId === 'tsunami-warning')?.reason).toMatch(/訓練/);

    const drillRules = parseFeedRuleSet([{ ...rules[1], action: { ...rules[1].action, drill: true } }]);
    const [d] = fired(msg, ibaraki, drillRules);
    expect(d.draft?.isDrill).toBe(true);
    expect(d.draft?.texts.ja?.title.startsWith('【訓練】')).toBe(true);
  });

  it('試験: a test telegram never makes an alert, drill or not', () => {
    const msg = jma('eew/vxse42_20090811050000_s1_test.xml');
    const all = parseFeedRuleSet([
      { ...rules[5], match: { kinds: ['eew'] }, action: { ...rules[5].action, drill: true } },
    ]);
    const [d] = evaluateFeedRules(msg, all, town({ eewAreaCodes: ['9999'] }));
    expect(d).toMatchObject({ fired: false, reason: expect.stringMatching(/test traffic/) });
  });

  it('J-ALERT: a missile message for the city is sent without approval; exercise is a drill, test nothing', () => {
    expect(fired(missile(), YASUGI)[0]).toMatchObject({
      ruleId: 'jalert-civil-protection',
      draft: {
        autoSend: true,
        severity: Severity.Extreme,
        texts: { ja: { title: '【国民保護情報】弾道ミサイル情報' } },
      },
    });
    expect(fired(missile({ status: 'exercise' }), YASUGI)[0].draft?.isDrill).toBe(true);
    expect(fired(missile({ status: 'test' }), YASUGI)).toEqual([]);
    expect(fired(missile({ areaCodes: ['1310100'] }), YASUGI)).toEqual([]);
  });
});

describe(decideRevision.name, () => {
  const identityOf = (msg: FeedMessage) => {
    const id = feedIdentity(msg);
    if (!id) throw new Error('no identity');
    return id;
  };

  it('a repeat is a duplicate; an older serial after a newer one is ignored', () => {
    const s1 = identityOf(jma('eew/vxse44_20240417231454_s1.xml'));
    const s10 = identityOf(jma('eew/vxse44_20240417231454_s10.xml'));

    expect(decideRevision(s1, null).kind).toBe('new');
    expect(decideRevision(s1, s1.revision).kind).toBe('duplicate');
    expect(decideRevision(s10, s1.revision).kind).toBe('new');
    expect(decideRevision(s1, s10.revision).kind).toBe('ignore-older');
  });

  it('取消 retracts (carrying the serial of the report it withdraws); 訂正 replaces', () => {
    const s1 = identityOf(jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml'));
    const cancel = identityOf(jma('earthquake/vxse53_20080614084350_s3_cancel.xml'));
    expect(decideRevision(cancel, s1.revision).kind).toBe('retraction');
    expect(decideRevision(cancel, cancel.revision).kind).toBe('duplicate');
    expect(decideRevision(s1, cancel.revision).kind).toBe('ignore-older');

    const flash = identityOf(jma('volcano/vfvo56_ontake_20140927_eruption-flash.xml'));
    const correction = identityOf(jma('volcano/vfvo56_ontake_20140927_eruption-flash_correction.xml'));
    expect(correction.stream).toBe(flash.stream);
    expect(decideRevision(correction, flash.revision).kind).toBe('correction');
  });

  it('relates EEW warning and forecast, and a multi-value EventID, by event', () => {
    const warning = identityOf(jma('eew/vxse43_20240417231454_s1_bungo-channel.xml'));
    const forecast = identityOf(jma('eew/vxse44_20240417231454_s10.xml'));
    expect(warning.stream).not.toBe(forecast.stream);
    expect(warning.eventKeys).toEqual(forecast.eventKeys);

    const first = identityOf(jma('tsunami/vtse41_20151114055157_advisory.xml'));
    const multi = identityOf(jma('tsunami/vtse41_20151114061750_forecast-only_multi-eventid.xml'));
    expect(multi.eventKeys).toEqual(expect.arrayContaining(first.eventKeys));
  });
});

describe(planFeedMessage.name, () => {
  const oshu = town({ name: '奥州市', cityCodes: ['0321500'] });
  const hamada = town({ name: '浜田市', cityCodes: ['3220200'] });

  /** Runs messages in order with in-memory state, like `feeds:replay`. */
  function replay(messages: FeedMessage[], m: MunicipalityCodes) {
    const replayer = new InMemoryFeedReplayer(rules, m);
    return messages.map((message) => replayer.push(message));
  }

  /** A later report of the same event: next serial, later time, facts changed by `edit`. */
  function later(msg: JmaMessage, minutes: number, edit: (m: JmaMessage) => void = () => {}): JmaMessage {
    const next = structuredClone(msg);
    const t = new Date(Date.parse(msg.head.reportDateTime ?? '') + minutes * 60_000).toISOString();
    next.head.reportDateTime = t;
    next.control.dateTime = t;
    if (next.head.serial) next.head.serial = String(Number(next.head.serial) + 1);
    edit(next);
    return next;
  }

  it('VXSE53: the 取消 cancels the alert the original produced', () => {
    const [first, , cancel] = replay(
      [
        jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml'),
        jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml'),
        jma('earthquake/vxse53_20080614084350_s3_cancel.xml'),
      ],
      oshu,
    );
    expect(first.plans).toEqual([
      expect.objectContaining({ action: 'create', ruleId: 'earthquake-5-lower' }),
    ]);
    expect(cancel.revision.kind).toBe('retraction');
    expect(cancel.plans).toEqual([expect.objectContaining({ action: 'cancel', alertId: '#1' })]);
  });

  it('a 取消 of another data type of the same EventID (VXSE52) leaves the VXSE53 alert alone', () => {
    const [, cancel] = replay(
      [
        jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml'),
        jma('earthquake/vxse52_20080614084350_cancel.xml'),
      ],
      oshu,
    );
    expect(cancel.revision.kind).toBe('retraction');
    expect(cancel.plans).toEqual([]);
  });

  it('suppresses a second alert for the same EventID unless severity rises', () => {
    const s1 = jma('earthquake/vxse53_20080614084350_s1_iwate-miyagi_large.xml');
    const weaker = (m: JmaMessage) => {
      if (m.body.family === 'earthquake') m.body.cities.find((c) => c.code === '0321500')!.maxInt = '5+';
    };
    const s0 = later(s1, -5, weaker);
    s0.head.serial = '1';
    s1.head.serial = '2';
    const s3 = later(s1, 5);
    const plans = replay([s0, s1, s3], oshu).map((p) => p.plans.map((x) => x.action));

    expect(plans).toEqual([['create'], ['create'], ['suppress']]);
  });

  it('VPWW full state: the same state again is suppressed, a kind that disappears is 解除, a re-issue alerts', () => {
    const v1 = jma('weather/vpww54_shimane_20160212_heavy-rain-special-warning.xml');
    const setHamada = (status: string) => (m: JmaMessage) => {
      if (m.body.family !== 'weather') return;
      const city = m.body.municipalities.find((c) => c.code === '3220200')!;
      city.kinds = city.kinds.map((k) => (k.name === '大雨特別警報' ? { ...k, status } : k));
    };
    const plans = replay(
      [
        v1,
        later(v1, 10, setHamada('継続')),
        later(v1, 20, setHamada('解除')),
        later(v1, 30, setHamada('発表')),
      ],
      hamada,
    );

    const actions = (ruleId: string) =>
      plans.map((p) => p.plans.filter((x) => x.ruleId === ruleId).map((x) => x.action));
    expect(actions('weather-special-warning')).toEqual([['create'], ['suppress'], ['lift'], ['create']]);
    // 洪水警報 stays in force throughout: one alert, then the same state again
    expect(actions('weather-warning')).toEqual([['create'], ['suppress'], ['suppress'], ['suppress']]);
  });
});
