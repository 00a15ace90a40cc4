import type { AlertTexts } from '@bousai/domain';

/**
 * Texts for alerts made from feeds. Placeholders are filled from the message: `{area}` the municipality's areas it
 * names, `{kind}` the warning kinds, `{intensity}` 震度, `{hypocenter}`, `{time}` the report time (JST),
 * `{headline}` JMA's own headline and `{text}` a J-ALERT message's text. JMA warnings are quoted as JMA's
 * (気象業務法 §23: only JMA issues warnings — docs/feeds.md §1), hence 「気象庁発表」 and the headline as written.
 */
export interface FeedAlertTemplate {
  key: string;
  texts: AlertTexts;
}

export const FEED_ALERT_TEMPLATES: readonly FeedAlertTemplate[] = [
  {
    key: 'feed_earthquake',
    texts: {
      ja: {
        title: '【地震情報】{area} 震度{intensity}',
        body: '{time} 気象庁発表。{hypocenter}で地震があり、{area}で震度{intensity}を観測しました。身の安全を確保し、火の元を確認してください。',
      },
      'ja-easy': {
        title: 'じしん {area} しんど{intensity}',
        body: '{area}で おおきな じしんが ありました。あたまを まもって ください。',
      },
      en: {
        title: 'Earthquake: intensity {intensity} in {area}',
        body: '{time} JMA: an earthquake ({hypocenter}) reached seismic intensity {intensity} in {area}. Protect yourself and check for fire.',
      },
    },
  },
  {
    key: 'feed_eew',
    texts: {
      ja: {
        title: '【緊急地震速報】強い揺れに警戒',
        body: '{time} 気象庁発表。{hypocenter}で地震。{area}で強い揺れが予想されます。頭を守り、身の安全を確保してください。',
      },
      'ja-easy': {
        title: 'おおきな じしんが きます',
        body: '{area}で おおきく ゆれます。あたまを まもって ください。',
      },
      en: {
        title: 'Earthquake Early Warning',
        body: '{time} JMA: strong shaking is expected in {area} ({hypocenter}). Protect your head now.',
      },
    },
  },
  {
    key: 'feed_tsunami',
    texts: {
      ja: {
        title: '【{kind}】直ちに避難',
        body: '{time} 気象庁は{area}に{kind}を発表しました。海岸や川沿いから直ちに高台や避難ビルへ避難してください。',
      },
      'ja-easy': {
        title: 'つなみが きます',
        body: 'うみや かわから はなれて、すぐに たかい ところへ にげて ください。',
      },
      en: {
        title: 'Tsunami: {kind}',
        body: '{time} JMA issued a tsunami warning ({kind}) for {area}. Leave the coast and rivers and go to high ground now.',
      },
    },
  },
  {
    key: 'feed_weather_warning',
    texts: {
      ja: {
        title: '【気象庁発表】{area} {kind}',
        body: '{time} 気象庁は{area}に{kind}を発表しています。{headline}',
      },
      'ja-easy': {
        title: 'てんきの けいほう {area}',
        body: '{area}に けいほうが でています。あんぜんに ちゅういして ください。',
      },
      en: {
        title: 'JMA warning for {area}: {kind}',
        body: '{time} JMA has issued {kind} for {area}.',
      },
    },
  },
  {
    key: 'feed_landslide',
    texts: {
      ja: {
        title: '【土砂災害警戒情報】{area}',
        body: '{time} {area}に土砂災害警戒情報が発表されました。崖や谷の近くの方は速やかに安全な場所へ避難してください。{headline}',
      },
      'ja-easy': {
        title: 'がけくずれに きをつけて',
        body: '{area}で がけが くずれる きけんが あります。あんぜんな ところへ にげて ください。',
      },
      en: {
        title: 'Landslide alert for {area}',
        body: '{time} A landslide alert has been issued for {area}. If you live near slopes or valleys, move to a safe place.',
      },
    },
  },
  {
    key: 'feed_volcano',
    texts: {
      ja: { title: '【気象庁発表】{kind}', body: '{time} 気象庁は{kind}を発表しました。{headline}' },
      en: { title: 'JMA volcano warning: {kind}', body: '{time} JMA issued {kind}.' },
    },
  },
  {
    key: 'feed_jalert',
    texts: {
      ja: { title: '【国民保護情報】{kind}', body: '{text}' },
      'ja-easy': {
        title: 'くにからの だいじな おしらせ',
        body: 'たてものの なかに はいって、テレビや ラジオを つけて ください。',
      },
      en: {
        title: 'Civil protection alert: {kind}',
        body: 'Take shelter inside a building and turn on the TV or radio.',
      },
    },
  },
];

export function findFeedTemplate(key: string): FeedAlertTemplate | undefined {
  return FEED_ALERT_TEMPLATES.find((t) => t.key === key);
}
