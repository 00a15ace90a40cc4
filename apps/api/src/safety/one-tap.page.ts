/**
 * The tiny pages behind one-tap links. Opening a link (GET) only shows what it will record and a button; the
 * answer is recorded by the button's POST. Mail scanners and link previewers fetch links with GET, so a GET that
 * recorded would answer for people who never tapped.
 */

import { escapeHtml } from '@bousai/domain';

/** No scripts, no third-party anything, the token never leaks through Referer, nothing cached. */
export const ONE_TAP_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex',
};

function page(title: string, inner: string): string {
  return (
    `<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>\n` +
    `<body style="font-family:sans-serif;max-width:32em;margin:1em auto;padding:0 1em">\n` +
    `<h1 style="font-size:1.3em">${escapeHtml(title)}</h1>\n${inner}\n</body></html>\n`
  );
}

export function confirmPage(o: {
  title: string;
  question: string;
  action: string;
  fields: Record<string, string>;
  button: string;
}): string {
  const hidden = Object.entries(o.fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    o.title,
    `<p>${escapeHtml(o.question)}</p>\n<form method="post" action="${escapeHtml(o.action)}">${hidden}` +
      `<button type="submit" style="font-size:1.2em;padding:.6em 1.2em">${escapeHtml(o.button)}</button></form>`,
  );
}

export function donePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
