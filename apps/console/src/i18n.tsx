import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Translator, translator } from '../../../libs/web-client/src';

/**
 * The console's texts. Japanese is the source and the default; English must have every key (a missing one is a
 * type error). A typed dictionary rather than an i18n library: two languages, no plural rules to speak of in
 * either for these texts, and a compile-time check of every key at no runtime cost.
 */
const ja = {
  appName: 'bousai 運用コンソール',
  skipToContent: '本文へ移動',
  mainNav: 'メインメニュー',
  navNow: '現在の状況',
  language: '言語',
  switchToOther: 'English',
  switchToOtherLabel: 'Switch to English',
  signedInAs: 'ログイン中: {role}',
  logout: 'ログアウト',
  logoutEverywhere: 'すべての端末からログアウト',
  loginTitle: 'ログイン',
  loginIntro: '防災担当職員のアカウントでログインしてください。',
  email: 'メールアドレス',
  password: 'パスワード',
  signIn: 'ログイン',
  signingIn: 'ログインしています…',
  loginFailed: 'メールアドレスまたはパスワードが違います。',
  loginThrottled: 'ログインの失敗が続いたため、しばらく待ってから再度お試しください。',
  loginError: 'ログインできませんでした（{code}）。',
  restoring: 'セッションを確認しています…',
  sessionEnded: 'セッションが終了しました。もう一度ログインしてください。',
  loggedOutEverywhere: 'すべての端末からログアウトしました（{count} 件のセッション）。',
  nowTitle: '現在の状況',
  loading: '読み込み中…',
  loadFailed: '読み込めませんでした（{code}）。',
  retry: '再試行',
  noPermission: 'この情報を見る権限がありません。',
  pendingTitle: '承認待ちの警報',
  pendingEmpty: '承認待ちの警報はありません。',
  inFlightTitle: '配信中の警報',
  inFlightEmpty: '配信中の警報はありません。',
  createdAt: '作成',
  severity: '重要度',
  drill: '訓練',
  channel: '経路',
  planned: '対象',
  reached: '到達',
  failed: '失敗',
  progressOf: '{channel} の到達状況',
  liveConnected: 'リアルタイム更新中',
  liveConnecting: 'リアルタイム更新に接続中…',
  liveOffline: 'リアルタイム更新が切断されています（自動で再接続します）',
  liveWaiting: '配信状況を待っています…',
  documentsTitle: '最新の受信電文',
  documentsEmpty: '受信した電文はまだありません。',
  failuresTitle: '解析に失敗した電文',
  failuresEmpty: '解析に失敗した電文はありません。',
  receivedAt: '受信日時',
  source: '受信元',
  feed: 'フィード',
  kind: '種別',
  parseStatus: '解析',
  errorCode: 'エラー',
  notFoundTitle: 'ページが見つかりません',
  backToNow: '現在の状況へ戻る',
  'status.draft': '下書き',
  'status.pending_approval': '承認待ち',
  'status.approved': '承認済み',
  'status.dispatching': '配信中',
  'status.sent': '送信済み',
  'status.closed': '終了',
  'status.cancelled': '取消',
  'status.superseded': '訂正済み',
  'parse.pending': '未解析',
  'parse.parsed': '解析済み',
  'parse.failed': '失敗',
  'parse.duplicate': '重複',
  'role.admin': '管理者',
  'role.approver': '承認者',
  'role.operator': '担当者',
  'role.viewer': '閲覧者',
};

export type MessageKey = keyof typeof ja;

const en: Record<MessageKey, string> = {
  appName: 'bousai operator console',
  skipToContent: 'Skip to content',
  mainNav: 'Main menu',
  navNow: 'Now',
  language: 'Language',
  switchToOther: '日本語',
  switchToOtherLabel: '日本語に切り替える',
  signedInAs: 'Signed in: {role}',
  logout: 'Log out',
  logoutEverywhere: 'Log out everywhere',
  loginTitle: 'Log in',
  loginIntro: 'Log in with your disaster office account.',
  email: 'Email',
  password: 'Password',
  signIn: 'Log in',
  signingIn: 'Logging in…',
  loginFailed: 'The email or the password is wrong.',
  loginThrottled: 'Too many failed logins: wait a while and try again.',
  loginError: 'Could not log in ({code}).',
  restoring: 'Checking your session…',
  sessionEnded: 'Your session has ended. Please log in again.',
  loggedOutEverywhere: 'Logged out everywhere ({count} sessions).',
  nowTitle: 'Now',
  loading: 'Loading…',
  loadFailed: 'Could not load this ({code}).',
  retry: 'Try again',
  noPermission: 'Your role may not see this.',
  pendingTitle: 'Alerts waiting for approval',
  pendingEmpty: 'No alert is waiting for approval.',
  inFlightTitle: 'Alerts going out',
  inFlightEmpty: 'No alert is going out.',
  createdAt: 'Created',
  severity: 'Severity',
  drill: 'Drill',
  channel: 'Channel',
  planned: 'Planned',
  reached: 'Reached',
  failed: 'Failed',
  progressOf: 'Progress on {channel}',
  liveConnected: 'Live',
  liveConnecting: 'Connecting to live updates…',
  liveOffline: 'Live updates are offline (reconnecting by itself)',
  liveWaiting: 'Waiting for delivery counts…',
  documentsTitle: 'Latest feed documents',
  documentsEmpty: 'No feed document has been received yet.',
  failuresTitle: 'Documents that failed to parse',
  failuresEmpty: 'No document failed to parse.',
  receivedAt: 'Received',
  source: 'Source',
  feed: 'Feed',
  kind: 'Kind',
  parseStatus: 'Parsing',
  errorCode: 'Error',
  notFoundTitle: 'Page not found',
  backToNow: 'Back to Now',
  'status.draft': 'Draft',
  'status.pending_approval': 'Waiting for approval',
  'status.approved': 'Approved',
  'status.dispatching': 'Going out',
  'status.sent': 'Sent',
  'status.closed': 'Closed',
  'status.cancelled': 'Cancelled',
  'status.superseded': 'Corrected',
  'parse.pending': 'Pending',
  'parse.parsed': 'Parsed',
  'parse.failed': 'Failed',
  'parse.duplicate': 'Duplicate',
  'role.admin': 'Administrator',
  'role.approver': 'Approver',
  'role.operator': 'Operator',
  'role.viewer': 'Viewer',
};

export type Lang = 'ja' | 'en';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { ja, en };
const STORAGE_KEY = 'bousai.console.lang';

export interface I18n extends Translator<MessageKey, 'status' | 'parse' | 'role'> {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function initialLang(): Lang {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = dictionaries[lang].appName;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      ...translator(dictionaries[lang], lang === 'ja' ? 'ja-JP' : 'en-GB', {
        dateStyle: 'short',
        timeStyle: 'medium',
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
