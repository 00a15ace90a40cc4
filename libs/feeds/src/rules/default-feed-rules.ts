import { Channel } from '@bousai/domain';
import { type FeedRule, parseFeedRuleSet } from './feed-rule.schema';
import { JAlertType } from './jalert-message';

const ALL_CHANNELS = [Channel.Receiver, Channel.Fcm, Channel.WebPush, Channel.Email, Channel.Line];
const PUSH_CHANNELS = [Channel.Receiver, Channel.Fcm, Channel.WebPush];

/**
 * The defaults a municipality starts with (issue 5 item 7, written for 安来市 but reading every code from the
 * municipality, docs/feeds.md §2). Auto-send follows J-ALERT's automatic activation (docs/feeds.md §3: 大津波警報, 津波警報,
 * 特別警報, 緊急地震速報 and 有事関連情報); everything else waits for an approver. Only VPWW54 of the duplicate pair
 * VPWW53/54 is used, plus the R06 per-phenomenon telegrams that replace them. Level-4 information (危険警報,
 * 土砂災害警戒情報, a river at 氾濫危険) waits for an approver: J-ALERT activates automatically only for 特別警報.
 */
export function defaultFeedRules(): FeedRule[] {
  return parseFeedRuleSet([
    {
      id: 'earthquake-5-lower',
      name: '震度5弱以上（市町村等・細分区域）',
      match: { kinds: ['earthquake.hypocenter_intensity', 'earthquake.intensity_flash'], minIntensity: '5-' },
      action: {
        templateKey: 'feed_earthquake',
        channels: ALL_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: false,
        safetyRequest: true,
      },
    },
    {
      id: 'tsunami-warning',
      name: '津波警報・大津波警報（津波予報区）',
      match: { kinds: ['tsunami.warning_advisory_forecast'], tsunamiLevels: ['major_warning', 'warning'] },
      action: {
        templateKey: 'feed_tsunami',
        channels: ALL_CHANNELS,
        targeting: { mode: 'matched' },
        autoSend: true,
        safetyRequest: true,
        suppressMinutes: 720,
      },
    },
    {
      id: 'weather-special-warning',
      name: '特別警報（市町村等）',
      match: { kinds: ['weather.warning_h27', 'weather.warning_r06'], warningLevels: ['special_warning'] },
      action: {
        templateKey: 'feed_weather_warning',
        channels: ALL_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: true,
        safetyRequest: true,
      },
    },
    {
      // 2026 scheme: a レベル４…危険警報 is its own class, never the レベル３ rule below (docs/feeds.md §8)
      id: 'weather-danger-warning',
      name: 'レベル４危険警報（市町村等）',
      match: { kinds: ['weather.warning_r06'], warningLevels: ['danger_warning'] },
      action: {
        templateKey: 'feed_weather_warning',
        channels: ALL_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: false,
        safetyRequest: false,
      },
    },
    {
      id: 'weather-warning',
      name: '警報（市町村等）',
      match: { kinds: ['weather.warning_h27', 'weather.warning_r06'], warningLevels: ['warning'] },
      action: {
        templateKey: 'feed_weather_warning',
        channels: PUSH_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: false,
        safetyRequest: false,
      },
    },
    {
      id: 'landslide-alert',
      name: '土砂災害警戒情報（市町村等）',
      match: { kinds: ['weather.landslide_alert'] },
      action: {
        templateKey: 'feed_landslide',
        channels: ALL_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: false,
        safetyRequest: false,
      },
    },
    {
      id: 'river-flood-danger',
      name: '指定河川洪水予報 レベル４以上（浸水想定地区の市町村）',
      match: { kinds: ['weather.designated_river_flood_forecast'], levels: [4, 5] },
      action: {
        templateKey: 'feed_weather_warning',
        channels: ALL_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: false,
        safetyRequest: false,
      },
    },
    {
      id: 'eew-warning',
      name: '緊急地震速報（警報）（EEW細分区域）',
      match: { kinds: ['eew.warning'], eewWarningOnly: true },
      action: {
        templateKey: 'feed_eew',
        channels: PUSH_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: true,
        safetyRequest: false,
        expiresInMinutes: 10,
      },
    },
    {
      id: 'jalert-civil-protection',
      name: 'Jアラート 国民保護情報',
      match: { kinds: ['jalert'], jalertTypes: Object.values(JAlertType) },
      action: {
        templateKey: 'feed_jalert',
        channels: ALL_CHANNELS,
        targeting: { mode: 'all' },
        autoSend: true,
        safetyRequest: true,
        drill: true,
        // each message of a sequence (発射情報 → 屋内退避 → 落下場所 / 通過) carries new instructions: none is suppressed
        suppressMinutes: 0,
      },
    },
  ]);
}
