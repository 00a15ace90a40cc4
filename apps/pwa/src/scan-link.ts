/**
 * The links of the office's QR codes, as the app's scanner reads them. Only links to this app on this origin are
 * opened, and only the routes the office prints: a shelter's poster (`/app/#/shelter-check-in/<token>`), the
 * office's letter (`/app/?code=<code>`) and the visitors' poster (`/app/?m=<code>#/visitor`). Anything else (another
 * origin, `javascript:`, a relative text, another path) is refused: the scanner shows a message and navigates nowhere.
 */
export type AppLink =
  | { kind: 'check-in'; token: string }
  | { kind: 'enrol'; code: string }
  | { kind: 'visitor'; municipality: string };

const APP_PATHS = new Set(['/app/', '/app']);
/** The signed token of a shelter's poster: the bounds of the api's check-in body, no character of a URL's syntax. */
const CHECK_IN = /^#\/shelter-check-in\/([A-Za-z0-9._-]{10,200})$/;
/** An enrolment code as the letter prints it (`K7QM-3XPD-9TRW`), within the enrolment form's bounds. */
const ENROL_CODE = /^[0-9A-Za-z][0-9A-Za-z-]{6,38}[0-9A-Za-z]$/;
const MUNICIPALITY = /^\d{6}$/;
/** Far above any link the office prints: a longer text is not one of them. */
const MAX_LINK = 1000;

/** The app link a scanned text names, or undefined when it is not one of ours (`origin`: this page's origin). */
export function parseAppLink(text: string, origin: string): AppLink | undefined {
  const raw = text.trim();
  if (raw.length === 0 || raw.length > MAX_LINK) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.origin !== origin || url.username !== '' || url.password !== '') return undefined;
  if (!APP_PATHS.has(url.pathname)) return undefined;
  const query = url.searchParams;
  // URLSearchParams.size is missing on older iPhones
  const params = [...query.keys()].length;
  const checkIn = CHECK_IN.exec(url.hash);
  if (checkIn) return params === 0 ? { kind: 'check-in', token: checkIn[1] } : undefined;
  const code = query.get('code');
  if (code !== null)
    return params === 1 && (url.hash === '' || url.hash === '#/') && ENROL_CODE.test(code)
      ? { kind: 'enrol', code }
      : undefined;
  const m = query.get('m');
  if (m !== null && params === 1 && url.hash === '#/visitor' && MUNICIPALITY.test(m))
    return { kind: 'visitor', municipality: m };
  return undefined;
}

/**
 * What a person typed when the camera cannot be used: a link as the QR code carries it, or the enrolment code of
 * the letter by itself.
 */
export function parseTypedCode(text: string, origin: string): AppLink | undefined {
  const link = parseAppLink(text, origin);
  if (link) return link;
  const code = text.trim();
  return ENROL_CODE.test(code) ? { kind: 'enrol', code } : undefined;
}
