import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Role } from '@bousai/domain';
import { type Stack, startStack } from '../e2e/fanout/support/fanout-stack';
import { CHROMIUM, CHROMIUM_ARGS, ensurePwaBuilt, PWA_DIR, REPO_ROOT } from './support/browser';

jest.setTimeout(240_000);

/** Git-ignored, next to the screenshots: the reports of the last run (open the HTML ones in a browser). */
const REPORTS = join(REPO_ROOT, 'test-output/lighthouse');

interface Scores {
  accessibility: number;
  bestPractices: number;
  failing: string[];
  runtimeError: string | null;
  text: string;
}

/**
 * Lighthouse's accessibility and best-practices categories on the residents' app as the api serves it (welcome,
 * and an enrolled holder's home, alert, settings and QR scanner), in Debian's Chromium on the loopback address only.
 */
describe("residents' app (PWA): Lighthouse", () => {
  let sut: Stack;

  beforeAll(async () => {
    ensurePwaBuilt();
    sut = await startStack({ inProcessFanout: false, api: { PWA_DIR } });
  });
  afterAll(() => sut?.close());

  it('scores at least 0.9 for accessibility and best practices on the main screens', async () => {
    // an enrolled holder and their spouse, asked for their safety by a dispatched alert: the home screen lists
    // it with one-tap answers, its screen shows 家族の安否
    const m = sut.api.tenants[0].municipalityId;
    const admin = await sut.auth(Role.Admin);
    const household = await sut.api.http
      .post(`/v1/municipalities/${m}/households`)
      .set(...admin)
      .send({ externalId: 'LH-H1', address: '島根県安来市安来町1' });
    const [holder, spouse] = await Promise.all(
      ['灯台 一郎', '灯台 花子'].map((name, i) =>
        sut.api.http
          .post(`/v1/municipalities/${m}/residents`)
          .set(...admin)
          .send({ externalId: `LH-R${i}`, name, householdId: household.body.id }),
      ),
    );
    expect([holder.status, spouse.status]).toEqual([201, 201]);
    const credential = await sut.api.enrol(sut.api.tenants[0], holder.body.id as string);
    const [alert] = await sut.api.db.dataSource.query<{ id: string }[]>(
      `INSERT INTO alert (municipality_id, source, texts, severity, targeting, channels, status, sent_at,
                          dispatched_at, safety_request)
       VALUES ($1, 'operator', '{"ja":{"title":"避難指示（安来町）","body":"直ちに避難してください。"}}', 'extreme',
               '{"all":true}', '{webpush}', 'sent', now(), now(), true) RETURNING id`,
      [m],
    );
    const asked = await sut.api.http
      .post(`/v1/municipalities/${m}/alerts/${alert.id}/safety-requests`)
      .set(...(await sut.auth(Role.Operator)))
      .send({ groups: ['everyone'] });
    expect(asked.body.asked).toBe(2);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(__dirname, 'support/lighthouse-audit.mjs'),
        JSON.stringify({
          base: sut.url,
          credential,
          alertId: alert.id,
          outDir: REPORTS,
          chromium: { path: CHROMIUM, args: CHROMIUM_ARGS },
        }),
      ],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const { screens, offLoopback } = JSON.parse(stdout) as {
      screens: Record<string, Scores>;
      offLoopback: string[];
    };
    expect(offLoopback).toEqual([]);
    expect(Object.keys(screens)).toEqual(['welcome', 'home', 'alert', 'settings', 'scan']);
    // what was audited is the screen meant: the enrolled ones list alerts, show the household, the settings
    for (const [screen, text] of [
      ['home', '避難指示（安来町）'],
      ['alert', '家族の安否'],
      ['settings', '通知の言語'],
      ['scan', 'コードまたはリンクを入力'],
    ] as const) {
      expect(screens[screen].text).toContain(text);
    }
    for (const [screen, { text: _text, ...s }] of Object.entries(screens)) {
      // the failing audits are in the message (and in test-output/lighthouse/pwa-<screen>.report.html)
      expect({
        screen,
        ...s,
        accessibility: s.accessibility >= 0.9,
        bestPractices: s.bestPractices >= 0.9,
      }).toEqual({
        screen,
        failing: s.failing,
        runtimeError: null,
        accessibility: true,
        bestPractices: true,
      });
    }
  });
});
