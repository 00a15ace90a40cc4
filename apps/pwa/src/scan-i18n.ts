import { type Lang, useI18n } from './i18n';

/**
 * The scanner's texts, in the app's three languages like every other (a missing key in any language is a type
 * error): kept with the scanner, which loads when it is opened, so the app's first load does not carry them.
 */
const ja = {
  scanIntro: '避難所のポスターや市役所からの通知書のQRコードを、カメラに写してください。',
  scanVideo: 'カメラの映像',
  scanStarting: 'カメラを起動しています…',
  scanLooking: 'QRコードを探しています…',
  scanDenied:
    'カメラの使用が許可されていません。ブラウザーの設定で許可するか、下にコードを入力してください。',
  scanNoCamera: 'カメラを使えません。下にコードを入力してください。',
  scanForeign: 'このQRコードは防災アプリのものではないため、開きません。',
  scanNeedsEnrol: '避難所へのチェックインには、先に登録が必要です。',
  scanEnrolled: 'この端末はすでに登録されています。',
  scanManual: 'コードまたはリンクを入力',
  scanManualHint: 'QRコードの近くに書かれたリンクか、通知書の登録コードを入力できます。',
  scanOpen: '開く',
};

export type ScanKey = keyof typeof ja;

const jaEasy: Record<ScanKey, string> = {
  scanIntro: 'ひなんじょ の ポスター や、しやくしょ の てがみ の QRコード を カメラ に うつして ください。',
  scanVideo: 'カメラ の えいぞう',
  scanStarting: 'カメラ を じゅんび して います…',
  scanLooking: 'QRコード を さがして います…',
  scanDenied: 'カメラ を つかえません。せってい で ゆるす か、した に コード を いれて ください。',
  scanNoCamera: 'カメラ を つかえません。した に コード を いれて ください。',
  scanForeign: 'この QRコード は ぼうさい アプリ の もの では ありません。ひらきません。',
  scanNeedsEnrol: 'ひなんじょ に ついた と しらせる には、さきに とうろく して ください。',
  scanEnrolled: 'この でんわ は もう とうろく して あります。',
  scanManual: 'コード か リンク を いれる',
  scanManualHint: 'QRコード の ちかく に かいて ある リンク か、てがみ の とうろく コード を いれられます。',
  scanOpen: 'ひらく',
};

const en: Record<ScanKey, string> = {
  scanIntro: 'Point the camera at the QR code on a shelter poster or on a letter from your town office.',
  scanVideo: 'Camera view',
  scanStarting: 'Starting the camera…',
  scanLooking: 'Looking for a QR code…',
  scanDenied: 'The camera is not allowed. Allow it in the browser settings, or type the code below.',
  scanNoCamera: 'The camera cannot be used. Type the code below.',
  scanForeign: 'This QR code is not one of this app’s, so it was not opened.',
  scanNeedsEnrol: 'Please sign up first to check in at a shelter.',
  scanEnrolled: 'This device is already signed up.',
  scanManual: 'Code or link',
  scanManualHint: 'Type the link printed near the QR code, or the sign-up code on your letter.',
  scanOpen: 'Open',
};

const dictionaries: Record<Lang, Record<ScanKey, string>> = { ja, 'ja-easy': jaEasy, en };

/** The scanner's text of `key` in the language the app shows. */
export function useScanTexts(): (key: ScanKey) => string {
  const { lang } = useI18n();
  return (key) => dictionaries[lang][key];
}
