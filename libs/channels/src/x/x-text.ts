/**
 * X counts a post's length in weighted characters (its open-source twitter-text "v3" configuration): code points in
 * the ranges below weigh 1, every other code point (kana, kanji, hangul, emoji…) weighs 2, a URL weighs 23
 * whatever its length, and a post may weigh at most 280. So a Japanese post holds about 140 characters.
 */
export const X_MAX_WEIGHT = 280;
export const X_URL_WEIGHT = 23;

const LIGHT_RANGES: readonly [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

function weightOf(codePoint: number): number {
  return LIGHT_RANGES.some(([lo, hi]) => codePoint >= lo && codePoint <= hi) ? 1 : 2;
}

/** The weighted length of plain text (no URLs in it). */
export function xWeightedLength(text: string): number {
  let weight = 0;
  for (const ch of text) weight += weightOf(ch.codePointAt(0)!);
  return weight;
}

/**
 * The post for a public alert: title and body, shortened with "…" to leave room for the link to the public alert
 * page when they do not fit whole. The link, when there is one, is always kept: the page has the full text in
 * every language.
 */
export function composeXPost(title: string, body: string, link?: string): string {
  const tail = link ? `\n${link}` : '';
  const room = link ? X_MAX_WEIGHT - 1 - X_URL_WEIGHT : X_MAX_WEIGHT;
  const full = `${title}\n${body}`.trim();
  if (xWeightedLength(full) <= room) return `${full}${tail}`;
  let weight = xWeightedLength('…');
  let cut = '';
  for (const ch of full) {
    const w = weightOf(ch.codePointAt(0)!);
    if (weight + w > room) break;
    weight += w;
    cut += ch;
  }
  return `${cut.trimEnd()}…${tail}`;
}
