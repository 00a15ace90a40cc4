import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Hazard, Severity } from '@bousai/domain';
import { parseFeedDocument } from '../feed-document.parser';
import type { JmaMessage } from '../normalised-message';
import { feedFixturesDir } from '../testing/feed-fixtures';
import { defaultFeedRules } from './default-feed-rules';
import { evaluateFeedRules, type MunicipalityCodes } from './evaluate-feed-rules';
import { type FeedRuleInput, parseFeedRule } from './feed-rule.schema';

const dir = feedFixturesDir();
const xml = (file: string) => readFileSync(path.join(dir, 'jmaxml', file), 'utf8');
const jma = (text: string) => parseFeedDocument(text) as JmaMessage;

const town = (name: string, ...cityCodes: string[]): MunicipalityCodes => ({
  name,
  cityCodes,
  quakeAreaCodes: [],
  tsunamiAreaCodes: [],
  eewAreaCodes: [],
});
const rules = defaultFeedRules();
const fired = (msg: JmaMessage, m: MunicipalityCodes, r = rules) =>
  evaluateFeedRules(msg, r, m).filter((d) => d.fired);

const KYOTO = 'weather/vpww57_kyoto_20200622_r06-storm-surge.xml';
const SHIMANE = 'weather/vpww55_shimane_20241102_r06-heavy-rain.xml';

/** The Shimane R06 telegram with its レベル３大雨警報 raised to a level-4 危険警報, spelt as given. */
const shimaneAt4 = (name: string) =>
  jma(
    xml(SHIMANE).replace(
      /<Name>レベル３大雨警報<\/Name>\s*<Code>03<\/Code>/g,
      `<Name>${name}</Name><Code>43</Code>`,
    ),
  );

const rule = (match: Partial<FeedRuleInput['match']>) =>
  parseFeedRule({
    id: 'custom',
    name: 'custom',
    match: { kinds: ['weather'], ...match },
    action: {
      templateKey: 'feed_weather_warning',
      channels: ['fcm'],
      targeting: { mode: 'matched' },
      autoSend: false,
      safetyRequest: false,
    },
  });

describe('feed rules rank warnings by their 警戒レベル (2026 scheme)', () => {
  it('VPWW57 舞鶴市: the レベル４高潮危険警報 fires the danger-warning rule, never the レベル３ warning rule', () => {
    const decisions = fired(jma(xml(KYOTO)), town('舞鶴市', '2620200'));

    expect(decisions.map((d) => d.ruleId)).toEqual(['weather-danger-warning']);
    expect(decisions[0].draft).toMatchObject({
      severity: Severity.Extreme,
      level: 4,
      hazard: Hazard.StormSurge,
      kinds: ['レベル４高潮危険警報'],
      autoSend: false,
    });
  });

  it('VPWW57 宮津市: the レベル３高潮警報 fires the warning rule at level 3', () => {
    const [d] = fired(jma(xml(KYOTO)), town('宮津市', '2621200'));

    expect(d.ruleId).toBe('weather-warning');
    expect(d.draft).toMatchObject({ severity: Severity.Severe, level: 3, hazard: Hazard.StormSurge });
  });

  it.each(['レベル４大雨危険警報', 'レベル4大雨危険警報'])(
    'a %s for 安来市 is level 4 with full- or half-width digits, and no レベル３ rule takes it',
    (name) => {
      const msg = shimaneAt4(name);
      const decisions = evaluateFeedRules(msg, rules, town('安来市', '3220600'));

      expect(decisions.filter((d) => d.fired).map((d) => [d.ruleId, d.draft?.level])).toEqual([
        ['weather-danger-warning', 4],
      ]);
      expect(decisions.find((d) => d.ruleId === 'weather-warning')?.reason).toBe(
        'no warning in force for 3220600',
      );
      // a rule written for 警報 only never fires on a 危険警報
      expect(fired(msg, town('安来市', '3220600'), [rule({ warningLevels: ['warning'] })])).toEqual([]);
    },
  );

  it('matches on level numbers and hazards', () => {
    const kyoto = jma(xml(KYOTO));
    const maizuru = town('舞鶴市', '2620200');
    const miyazu = town('宮津市', '2621200');
    const level4 = rule({ levels: [4], hazards: [Hazard.StormSurge] });

    expect(fired(kyoto, maizuru, [level4])).toHaveLength(1);
    expect(fired(kyoto, miyazu, [level4])).toEqual([]);
    expect(evaluateFeedRules(kyoto, [level4], miyazu)[0].reason).toBe(
      'no level 4 storm_surge in force for 2621200',
    );
    expect(fired(kyoto, maizuru, [rule({ hazards: [Hazard.HeavyRain] })])).toEqual([]);
    expect(fired(kyoto, miyazu, [rule({ levels: [3, 4, 5] })])[0].draft).toMatchObject({
      level: 3,
      matchedCodes: ['2621200'],
      targeting: { jmaCodes: ['2621200'] },
    });
  });

  it('VXWW50 Kanagawa (R06): the landslide rule fires at level 4 under the product’s 2026 name', () => {
    const msg = jma(xml('weather/vxww50_kanagawa_20241102_s1_r06-level4.xml'));
    const [d] = fired(msg, town('小田原市', '1420600'));

    expect(d.ruleId).toBe('landslide-alert');
    expect(d.draft).toMatchObject({
      level: 4,
      hazard: Hazard.Landslide,
      severity: Severity.Extreme,
      kinds: ['レベル４土砂災害危険警報'],
    });
    expect(fired(msg, town('横浜市', '1410011'))).toEqual([]);
  });

  it('VXKO: a river at 氾濫危険 (level 4) fires for the municipalities that may flood; 氾濫警戒 (3) does not', () => {
    const danger = jma(xml('weather/vxkoii_123456789012_s4_placeholder-river_level4.xml'));
    const [d] = fired(danger, town('○○市', '0000000'));
    expect(d.ruleId).toBe('river-flood-danger');
    expect(d.draft).toMatchObject({ level: 4, hazard: Hazard.Flood, kinds: ['氾濫危険情報'] });

    const caution = jma(xml('weather/vxkoii_890904000100_s1_rokkaku-river.xml'));
    const takeo = town('武雄市', '4120600');
    expect(fired(caution, takeo)).toEqual([]);
    expect(fired(caution, takeo, [rule({ levels: [3], hazards: [Hazard.Flood] })])[0].draft?.level).toBe(3);
  });

  it('keeps rules without levels/hazards valid, and refuses unknown levels and hazards', () => {
    expect(rule({ warningLevels: ['special_warning'] }).match).toEqual({
      kinds: ['weather'],
      warningLevels: ['special_warning'],
    });
    expect(() => rule({ levels: [6] as never })).toThrow(/match\.levels\.0/);
    expect(() => rule({ hazards: ['quake'] as never })).toThrow(/match\.hazards\.0/);
  });
});
