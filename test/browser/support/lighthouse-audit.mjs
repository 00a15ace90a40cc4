// Lighthouse (accessibility and best practices) on the residents' app, in Debian's Chromium, in a process of its
// own (Lighthouse is an ES module; the tests are CommonJS). Argument: JSON { base, credential, alertId, outDir,
// chromium: { path, args } } (the browser harness's Chromium and flags).
// Writes each screen's JSON and HTML report to outDir and prints
// { screens: { [screen]: { accessibility, bestPractices, failing, runtimeError, text } }, offLoopback: [url] }.
// Nothing leaves the loopback address: Chromium resolves no other name, and only the two categories run (no
// performance: timings do not belong in tests), none of whose audits fetch anything.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const { base, credential, alertId, outDir, chromium } = JSON.parse(process.argv[2]);
const CATEGORIES = ['accessibility', 'best-practices'];
const SCREENS = [
  { name: 'welcome', path: '/app/', enrolled: false },
  { name: 'home', path: '/app/#/', enrolled: true },
  { name: 'alert', path: `/app/#/alerts/${alertId}`, enrolled: true },
  { name: 'settings', path: '/app/#/settings', enrolled: true },
  // this Chromium has no camera: the scanner as a holder without one sees it (a message and the typed code)
  { name: 'scan', path: '/app/#/scan', enrolled: true },
];

mkdirSync(outDir, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: chromium.path,
  headless: true,
  args: [...chromium.args, '--lang=ja-JP'],
});
try {
  const page = await browser.newPage();
  // every request of the page must be to the api under test (and Chromium resolves no other name anyway)
  const offLoopback = [];
  const watch = (/** @type {import('puppeteer-core').HTTPRequest} */ request) => {
    const url = new URL(request.url());
    if (/^https?:$/.test(url.protocol) && url.origin !== new URL(base).origin) offLoopback.push(url.href);
  };
  page.on('request', watch);
  const screens = {};
  for (const screen of SCREENS) {
    if (screen.enrolled) {
      // the holder's credential, as enrolment leaves it, and the app in Japanese; Lighthouse keeps the storage
      await page.goto(`${base}/app/`);
      await page.evaluate((c) => {
        localStorage.setItem('bousai.app.credential', c);
        localStorage.setItem('bousai.app.lang', 'ja');
      }, credential);
    }
    const result = await lighthouse(
      `${base}${screen.path}`,
      {
        output: ['json', 'html'],
        onlyCategories: CATEGORIES,
        disableStorageReset: screen.enrolled,
        throttlingMethod: 'provided',
        logLevel: 'error',
      },
      undefined,
      page,
    );
    if (!result) throw new Error(`lighthouse gave no result for ${screen.name}`);
    const [json, html] = /** @type {string[]} */ (result.report);
    writeFileSync(join(outDir, `pwa-${screen.name}.report.json`), json);
    writeFileSync(join(outDir, `pwa-${screen.name}.report.html`), html);
    const { lhr } = result;
    const failing = CATEGORIES.flatMap((c) =>
      lhr.categories[c].auditRefs
        .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
        .map((ref) => ref.id),
    );
    screens[screen.name] = {
      accessibility: lhr.categories.accessibility.score,
      bestPractices: lhr.categories['best-practices'].score,
      failing,
      runtimeError: lhr.runtimeError?.code ?? null,
      // what the audited screen showed, so the test knows it audited the screen meant
      text: await page.evaluate(() => document.body.innerText),
    };
  }
  process.stdout.write(JSON.stringify({ screens, offLoopback }));
} finally {
  await browser.close();
}
