export interface BackoffOptions {
  /** First retry's ceiling; doubles per attempt. */
  baseMs?: number;
  /** Largest ceiling, whatever the attempt. */
  capMs?: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): "full jitter", a uniform draw in
 * [0, min(cap, base·2^(attempt-1))), so a crowd of failed sends does not come back in lockstep. Never less than
 * the provider's `Retry-After`, even when that is above the cap: FCM asks callers to honour it (ErrorCode docs,
 * "Sending at scale").
 */
export function backoffMs(attempt: number, retryAfterMs?: number, options: BackoffOptions = {}): number {
  const { baseMs = 1_000, capMs = 60_000, random = Math.random } = options;
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(exponent, 30));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs !== undefined && retryAfterMs > 0 ? Math.ceil(retryAfterMs) : 0);
}

const DELTA_SECONDS = /^\s*(\d+)\s*$/;
// the three HTTP-date forms (IMF-fixdate, RFC 850, asctime) all start with a day name
const HTTP_DATE = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/;

/**
 * RFC 9110 §10.2.3: `Retry-After` is either delay-seconds or an HTTP-date. Returns milliseconds from `now`
 * (0 for a date in the past), or undefined when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = DELTA_SECONDS.exec(raw);
  if (seconds) return Number(seconds[1]) * 1_000;
  if (!HTTP_DATE.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
