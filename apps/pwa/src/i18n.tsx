import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Translator, translator } from '../../../libs/web-client/src';

/**
 * The app's texts: Japanese (the source and default), やさしい日本語 (short sentences, hiragana, spaces between
 * words) and English. A typed dictionary like the console's: a missing key in any language is a type error. Alerts
 * themselves come from the api already in the chosen language (the renderer's fallback covers the others).
 */
const ja = {
  appName: '防災アプリ',
  skipToContent: '本文へ移動',
  mainNav: 'メニュー',
  navAlerts: 'お知らせ',
  navShelters: '避難所',
  navSettings: '設定',
  offline: 'オフラインです。最後に受け取った情報を表示しています。',
  loading: '読み込み中…',
  loadFailed: '読み込めませんでした（{code}）。',
  retry: 'もう一度',
  enrolTitle: '登録',
  enrolIntro: '市役所から届いた登録コードを入力してください。',
  enrolCode: '登録コード',
  enrolSubmit: '登録する',
  enrolling: '登録しています…',
  enrolFailed: 'コードが違うか、使用済みまたは期限切れです。市役所にお問い合わせください。',
  alertsTitle: 'お知らせ',
  alertsEmpty: '現在、お知らせはありません。',
  alertTitle: 'お知らせの詳細',
  alertNotFound: 'このお知らせは見つかりません。',
  backToAlerts: 'お知らせ一覧へ',
  drill: '訓練',
  cancelled: '取り消されました',
  sentAt: '発表',
  'severity.extreme': '緊急',
  'severity.severe': '警戒',
  'severity.moderate': '注意',
  'severity.minor': '情報',
  'severity.unknown': '情報',
  safetyQuestion: '安否を教えてください',
  'answer.safe': '無事です',
  'answer.need_help': '助けが必要',
  'answer.injured': 'けがをしています',
  'answer.other': 'その他',
  answered: '回答済み: {answer}',
  answerFailed: '送信できませんでした（{code}）。もう一度押してください。',
  ordersTitle: '発令中の避難情報',
  ordersEmpty: '発令中の避難情報はありません。',
  ordersUnavailable: '避難情報を取得できません。市のホームページや防災無線もご確認ください。',
  sheltersTitle: '開設中の避難所',
  sheltersEmpty: '開設中の避難所はありません。',
  myDistrict: 'お住まいの地区',
  distance: '約 {km} km',
  openMap: '地図アプリで開く: {name}',
  capacity: '収容 {count} 人',
  'crowding.available': '空きあり',
  'crowding.somewhat_crowded': 'やや混雑',
  'crowding.crowded': '混雑',
  'crowding.full': '満員',
  useLocation: '現在地から距離を表示',
  locationDenied: '位置情報を使えません。',
  settingsTitle: '設定',
  language: '表示する言語',
  notifications: '通知',
  notificationsOn: '通知はオンです。',
  notificationsOff: '通知はオフです。',
  enableNotifications: '通知を受け取る',
  notificationsBlocked: '通知がブラウザで拒否されています。ブラウザの設定から許可してください。',
  notificationsUnsupported: 'このブラウザは通知に対応していません。',
  pushUnavailable: '通知の準備ができていません（{code}）。',
  account: '登録情報',
  municipality: '市町村',
  district: '地区',
  logout: 'この端末の登録を解除',
  checkInTitle: '避難所へのチェックイン',
  checkInButton: 'チェックインする',
  checkedIn: '{name} にチェックインしました。安否は「無事」として伝わりました。',
  checkInFailed: 'チェックインできませんでした（{code}）。',
  visitorLink: '旅行者・家族の方はこちら',
  visitorTitle: '旅行者・家族の方',
  visitorIntro: '登録なしで、選んだ地区の公開の防災情報を受け取れます。お名前や住所は必要ありません。',
  visitorMunicipality: '市区町村コード（6桁）',
  visitorDistricts: '受け取る地区',
  visitorLanguage: '通知の言語',
  visitorSubscribe: '通知を許可して受け取る',
  visitorSubscribed: '選んだ地区の防災情報を受け取っています。',
  visitorSave: '変更を保存',
  visitorSaved: '保存しました。',
  visitorRemove: '受け取りをやめる',
  visitorRemoved: '受け取りをやめました。',
  visitorDead: 'このブラウザーには届かなくなりました。もう一度登録してください。',
  visitorFailed: '登録できませんでした（{code}）。',
  visitorNoDistrict: '地区を1つ以上選んでください。',
  visitorHaveCode: '登録コードをお持ちの方',
};

export type MessageKey = keyof typeof ja;

const jaEasy: Record<MessageKey, string> = {
  appName: 'ぼうさい アプリ',
  skipToContent: 'ほんぶん へ',
  mainNav: 'メニュー',
  navAlerts: 'おしらせ',
  navShelters: 'ひなんじょ',
  navSettings: 'せってい',
  offline: 'インターネットに つながって いません。まえに うけとった じょうほう です。',
  loading: 'よみこみ ちゅう…',
  loadFailed: 'よみこめません でした（{code}）。',
  retry: 'もう いちど',
  enrolTitle: 'とうろく',
  enrolIntro: 'しやくしょ から もらった コードを いれて ください。',
  enrolCode: 'とうろく コード',
  enrolSubmit: 'とうろく する',
  enrolling: 'とうろく して います…',
  enrolFailed: 'コードが ちがいます。しやくしょ に きいて ください。',
  alertsTitle: 'おしらせ',
  alertsEmpty: 'いま、おしらせは ありません。',
  alertTitle: 'おしらせ',
  alertNotFound: 'この おしらせは ありません。',
  backToAlerts: 'おしらせ の いちらん へ',
  drill: 'くんれん',
  cancelled: 'とりけし',
  sentAt: 'じかん',
  'severity.extreme': 'とても あぶない',
  'severity.severe': 'あぶない',
  'severity.moderate': 'きをつけて',
  'severity.minor': 'おしらせ',
  'severity.unknown': 'おしらせ',
  safetyQuestion: 'だいじょうぶ ですか',
  'answer.safe': 'ぶじ です',
  'answer.need_help': 'たすけて ください',
  'answer.injured': 'けが を して います',
  'answer.other': 'そのほか',
  answered: 'こたえました: {answer}',
  answerFailed: 'おくれません でした（{code}）。もう いちど おして ください。',
  ordersTitle: 'ひなん の じょうほう',
  ordersEmpty: 'いま、ひなん の じょうほう は ありません。',
  ordersUnavailable: 'ひなん の じょうほう を よめません。テレビ や ラジオ も きいて ください。',
  sheltersTitle: 'あいて いる ひなんじょ',
  sheltersEmpty: 'あいて いる ひなんじょ は ありません。',
  myDistrict: 'あなた の ちく',
  distance: 'やく {km} キロ',
  openMap: 'ちず で みる: {name}',
  capacity: '{count} にん',
  'crowding.available': 'すいて います',
  'crowding.somewhat_crowded': 'すこし こんで います',
  'crowding.crowded': 'こんで います',
  'crowding.full': 'いっぱい です',
  useLocation: 'いま いる ところ から の きょり',
  locationDenied: 'いま いる ところ が わかりません。',
  settingsTitle: 'せってい',
  language: 'ことば',
  notifications: 'つうち',
  notificationsOn: 'つうち は オン です。',
  notificationsOff: 'つうち は オフ です。',
  enableNotifications: 'つうち を うけとる',
  notificationsBlocked: 'ブラウザ が つうち を とめて います。ブラウザ の せってい を かえて ください。',
  notificationsUnsupported: 'この ブラウザ では つうち が つかえません。',
  pushUnavailable: 'つうち の じゅんび が できません（{code}）。',
  account: 'とうろく',
  municipality: 'まち',
  district: 'ちく',
  logout: 'とうろく を やめる',
  checkInTitle: 'ひなんじょ に ついた',
  checkInButton: 'ついた と しらせる',
  checkedIn: '{name} に つきました。「ぶじ」と つたえました。',
  checkInFailed: 'しらせる こと が できません でした（{code}）。',
  visitorLink: 'りょこう の ひと・かぞく の ひと',
  visitorTitle: 'りょこう の ひと・かぞく の ひと',
  visitorIntro: 'なまえ や じゅうしょ は いりません。えらんだ ちく の ぼうさい の おしらせ が とどきます。',
  visitorMunicipality: 'しちょうそん の ばんごう（6けた）',
  visitorDistricts: 'おしらせ を うけとる ちく',
  visitorLanguage: 'おしらせ の ことば',
  visitorSubscribe: 'つうち を ゆるして うけとる',
  visitorSubscribed: 'えらんだ ちく の おしらせ が とどきます。',
  visitorSave: 'かえる',
  visitorSaved: 'かえました。',
  visitorRemove: 'うけとる の を やめる',
  visitorRemoved: 'やめました。',
  visitorDead: 'この ブラウザー には とどきません。もう いちど とうろく して ください。',
  visitorFailed: 'とうろく できません でした（{code}）。',
  visitorNoDistrict: 'ちく を ひとつ いじょう えらんで ください。',
  visitorHaveCode: 'とうろく コード が ある ひと',
};

const en: Record<MessageKey, string> = {
  appName: 'Disaster app',
  skipToContent: 'Skip to content',
  mainNav: 'Menu',
  navAlerts: 'Alerts',
  navShelters: 'Shelters',
  navSettings: 'Settings',
  offline: 'You are offline. This is the last information received.',
  loading: 'Loading…',
  loadFailed: 'Could not load this ({code}).',
  retry: 'Try again',
  enrolTitle: 'Sign up',
  enrolIntro: 'Enter the sign-up code your town office gave you.',
  enrolCode: 'Sign-up code',
  enrolSubmit: 'Sign up',
  enrolling: 'Signing up…',
  enrolFailed: 'The code is wrong, used or expired. Please ask your town office.',
  alertsTitle: 'Alerts',
  alertsEmpty: 'There is no alert now.',
  alertTitle: 'Alert',
  alertNotFound: 'This alert was not found.',
  backToAlerts: 'All alerts',
  drill: 'Drill',
  cancelled: 'Cancelled',
  sentAt: 'Issued',
  'severity.extreme': 'Emergency',
  'severity.severe': 'Warning',
  'severity.moderate': 'Advisory',
  'severity.minor': 'Information',
  'severity.unknown': 'Information',
  safetyQuestion: 'Are you safe?',
  'answer.safe': "I'm safe",
  'answer.need_help': 'I need help',
  'answer.injured': "I'm injured",
  'answer.other': 'Other',
  answered: 'Answered: {answer}',
  answerFailed: 'Could not send this ({code}). Please press again.',
  ordersTitle: 'Evacuation orders in force',
  ordersEmpty: 'No evacuation order is in force.',
  ordersUnavailable: 'Evacuation orders cannot be loaded. Also check TV, radio and the town website.',
  sheltersTitle: 'Open shelters',
  sheltersEmpty: 'No shelter is open.',
  myDistrict: 'Your district',
  distance: 'about {km} km',
  openMap: 'Open in a map app: {name}',
  capacity: 'Holds {count}',
  'crowding.available': 'Space available',
  'crowding.somewhat_crowded': 'Somewhat crowded',
  'crowding.crowded': 'Crowded',
  'crowding.full': 'Full',
  useLocation: 'Show distance from here',
  locationDenied: 'Your location is not available.',
  settingsTitle: 'Settings',
  language: 'Language',
  notifications: 'Notifications',
  notificationsOn: 'Notifications are on.',
  notificationsOff: 'Notifications are off.',
  enableNotifications: 'Turn on notifications',
  notificationsBlocked: 'The browser blocks notifications. Allow them in its settings.',
  notificationsUnsupported: 'This browser cannot show notifications.',
  pushUnavailable: 'Notifications are not ready ({code}).',
  account: 'Your sign-up',
  municipality: 'Town',
  district: 'District',
  logout: 'Remove this device',
  checkInTitle: 'Shelter check-in',
  checkInButton: 'Check in',
  checkedIn: 'Checked in at {name}. Your office now knows you are safe.',
  checkInFailed: 'Could not check in ({code}).',
  visitorLink: 'Visitors and family elsewhere',
  visitorTitle: 'Visitors and family',
  visitorIntro:
    'Get the public alerts of the districts you choose, without registering. No name or address is needed.',
  visitorMunicipality: 'Municipality code (6 digits)',
  visitorDistricts: 'Districts',
  visitorLanguage: 'Language of alerts',
  visitorSubscribe: 'Allow notifications and subscribe',
  visitorSubscribed: 'You receive the public alerts of the districts you chose.',
  visitorSave: 'Save changes',
  visitorSaved: 'Saved.',
  visitorRemove: 'Stop receiving',
  visitorRemoved: 'You no longer receive alerts.',
  visitorDead: 'Alerts no longer reach this browser. Please subscribe again.',
  visitorFailed: 'Could not subscribe ({code}).',
  visitorNoDistrict: 'Choose at least one district.',
  visitorHaveCode: 'I have a registration code',
};

export const LANGS = ['ja', 'ja-easy', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = {
  ja: '日本語',
  'ja-easy': 'やさしい にほんご',
  en: 'English',
};
const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, 'ja-easy': jaEasy, en };
const STORAGE_KEY = 'bousai.app.lang';

export interface I18n extends Translator<MessageKey, 'severity' | 'answer' | 'crowding'> {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function storedLang(): Lang {
  const kept = localStorage.getItem(STORAGE_KEY);
  if (kept && (LANGS as readonly string[]).includes(kept)) return kept as Lang;
  return navigator.language.startsWith('ja') ? 'ja' : 'en';
}

export function I18nProvider({
  children,
  onChange,
}: {
  children: ReactNode;
  onChange?: (lang: Lang) => void;
}) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'ja';
    document.title = dictionaries[lang].appName;
    onChange?.(lang);
  }, [lang, onChange]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      ...translator(dictionaries[lang], lang === 'en' ? 'en-GB' : 'ja-JP', {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
