import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliConfig } from '@bousai/config';
import { Channel, OneTapPurpose, SafetyStatus, signDeliveryAckToken, signOneTapToken } from '@bousai/domain';
import {
  createDataSource,
  DeliveryAckRepository,
  OperatorRepository,
  SafetyRepository,
} from '@bousai/persistence';
import { YASUGI } from '../demo/yasugi.data';

const USAGE = `usage: demo:drill --api URL --password P --one-tap-secret S --ack-secret S [options]
  Plays a whole drill on the seeded 安来市 against running apps (scripts/demo.sh starts them): an operator
  launches it, an approver approves it, the residents answer through the one-tap endpoint and their apps
  acknowledge the pushes through /v1/acks/signed, with realistic delays; prints progress, then the report.
  --groups G             needs_assistance,staff (default) or everyone
  --answer-rate R        share of everyone else who answers (default 0.85)
  --needs-assistance-rate R   share of 要援護者 who answer (default 0.75)
  --staff-rate R         share of staff who answer (default 0.95)
  --app-ack-rate R       share of app pushes acknowledged (default 0.9; a tenth of those also "read")
  --duration S           seconds over which the answers arrive (default 60: a drill's hour, compressed)
  --concurrency N        requests in flight (default 16)
  --csv PATH             where the CSV report is written (default .run/drill-report.csv)
`;

interface Options {
  api: string;
  password: string;
  oneTapSecret: string;
  ackSecret: string;
  groups: string[];
  rates: Record<string, number>;
  appAckRate: number;
  durationMs: number;
  concurrency: number;
  csv: string;
}

function options(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      api: { type: 'string' },
      password: { type: 'string' },
      'one-tap-secret': { type: 'string' },
      'ack-secret': { type: 'string' },
      groups: { type: 'string', default: 'needs_assistance,staff' },
      'answer-rate': { type: 'string', default: '0.85' },
      'needs-assistance-rate': { type: 'string', default: '0.75' },
      'staff-rate': { type: 'string', default: '0.95' },
      'app-ack-rate': { type: 'string', default: '0.9' },
      duration: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '16' },
      csv: { type: 'string', default: '.run/drill-report.csv' },
    },
  });
  const rate = (name: string, raw: string) => {
    const n = Number(raw);
    if (!(n >= 0 && n <= 1)) throw new RangeError(`--${name} must be between 0 and 1, got "${raw}"`);
    return n;
  };
  const positive = (name: string, raw: string) => {
    const n = Number(raw);
    if (!(n > 0)) throw new RangeError(`--${name} must be a positive number, got "${raw}"`);
    return n;
  };
  if (!values.api || !values.password || !values['one-tap-secret'] || !values['ack-secret']) {
    throw new RangeError('--api, --password, --one-tap-secret and --ack-secret are required');
  }
  const groups = values.groups.split(',').filter((g) => g && g !== 'everyone');
  return {
    api: values.api.replace(/\/$/, ''),
    password: values.password,
    oneTapSecret: values['one-tap-secret'],
    ackSecret: values['ack-secret'],
    groups,
    rates: {
      everyone: rate('answer-rate', values['answer-rate']),
      needs_assistance: rate('needs-assistance-rate', values['needs-assistance-rate']),
      staff: rate('staff-rate', values['staff-rate']),
    },
    appAckRate: rate('app-ack-rate', values['app-ack-rate']),
    durationMs: positive('duration', values.duration) * 1000,
    concurrency: Math.round(positive('concurrency', values.concurrency)),
    csv: values.csv,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A delay that looks like people answering: most within the first quarter, a long tail (log-normal-ish). */
function answerDelay(durationMs: number): number {
  const u = Math.max(1e-9, Math.random());
  const v = Math.random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(durationMs, Math.exp(Math.log(durationMs * 0.15) + 0.8 * normal));
}

class Api {
  constructor(private readonly base: string) {}

  async call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  }

  /** The body as sent: `text()` would drop the CSV's byte-order mark, which Excel needs. */
  async bytes(path: string, token: string): Promise<Buffer> {
    const res = await fetch(`${this.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  async login(email: string, password: string): Promise<string> {
    return (await this.call<{ accessToken: string }>('POST', '/v1/auth/login', { email, password }))
      .accessToken;
  }
}

/** Runs `task` over `items` with at most `limit` in flight; counts failures instead of stopping. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<number> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await task(item).catch(() => failed++);
      }
    }),
  );
  return failed;
}

interface DrillView {
  alertId: string;
  alertStatus: string;
  scheduleState: string | null;
  asked: number;
  answered: number;
}
interface LiveView {
  totals: Record<string, number>;
}
interface GroupResult {
  group: string;
  asked: number;
  answered: number;
  rate: number | null;
  target: number | null;
  met: boolean | null;
  curve: { share: number; minutes: number | null }[];
}
interface Report {
  groups: GroupResult[];
  districts: { areaName: string | null; asked: number; answered: number; rate: number | null }[];
  deliveries: Record<string, Record<string, number>>;
  nonResponders: { group: string; name: string; areaName: string | null; escalationOutcome: string }[];
  comparison: { title: string | null; launchedAt: string; groups: GroupResult[] }[];
}

const LABEL: Record<string, string> = {
  all: '全体 all',
  needs_assistance: '要援護者 needs assistance',
  staff: '職員 staff',
  everyone: '一般 others',
};
const pct = (r: number | null) => (r === null ? '   -  ' : `${(r * 100).toFixed(1).padStart(5)}%`);

export async function demoDrillCommand(config: CliConfig, args: string[]): Promise<number> {
  let o: Options;
  try {
    o = options(args);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const ds = await createDataSource(config, 'bousai-demo').initialize();
  try {
    return await run(o, {
      operators: new OperatorRepository(ds),
      safety: new SafetyRepository(ds),
      acks: new DeliveryAckRepository(ds),
    });
  } finally {
    await ds.destroy();
  }
}

/**
 * What playing the residents' part reads: who was asked (to answer for them through the one-tap endpoint) and
 * which app pushes the provider accepted (to acknowledge them as the devices would).
 */
interface DrillStores {
  operators: OperatorRepository;
  safety: SafetyRepository;
  acks: DeliveryAckRepository;
}

async function run(o: Options, stores: DrillStores): Promise<number> {
  const started = Date.now();
  const api = new Api(o.api);
  const mid = (await stores.operators.findMunicipalityByCode(YASUGI.code))?.id;
  if (!mid) throw new Error(`${YASUGI.name} is not seeded: run npm run seed:demo first`);
  const base = `/v1/municipalities/${mid}`;
  const operator = await api.login('operator@yasugi.example', o.password);
  const approver = await api.login('approver@yasugi.example', o.password);

  // an operator launches the drill; the two-person rule holds for drills too, so an approver approves it and the
  // api's scheduler sends it within seconds
  const created = await api.call<DrillView>(
    'POST',
    `${base}/drills`,
    {
      title: '安否確認訓練（デモ）',
      body: 'これは訓練です。安否確認に回答してください。',
      targeting: { all: true, groups: o.groups },
      channels: ['receiver', 'fcm'],
    },
    operator,
  );
  const alertId = created.alertId;
  console.log(`==> drill ${alertId} launched by operator@ (${created.alertStatus}); approver@ approves it`);
  await api.call('POST', `${base}/alerts/${alertId}/approve`, {}, approver);
  let drill = created;
  while (drill.scheduleState !== 'launched') {
    if (drill.scheduleState === 'failed' || drill.alertStatus === 'cancelled')
      throw new Error('drill did not launch');
    await sleep(500);
    drill = await api.call<DrillView>('GET', `${base}/drills/${alertId}`, undefined, operator);
  }
  const launchedAt = Date.now();
  console.log(
    `==> on its way after ${((launchedAt - started) / 1000).toFixed(1)} s: ${drill.asked} residents asked`,
  );

  // the residents: who answers, when, and what
  const asked = await stores.safety.asked(alertId);
  const plan = asked
    .filter((r) => Math.random() < (o.rates[r.group] ?? o.rates.everyone))
    .map((r) => ({
      ...r,
      at: launchedAt + answerDelay(o.durationMs),
      answer: Math.random() < 0.03 ? SafetyStatus.NeedHelp : SafetyStatus.Safe,
    }))
    .sort((a, b) => a.at - b.at);
  console.log(
    `==> ${plan.length} of ${asked.length} will answer over ${o.durationMs / 1000} s (one-tap links)`,
  );

  let answersSent = 0;
  let acksSent = 0;
  let done = false;
  const answering = (async () => {
    let i = 0;
    let failed = 0;
    while (i < plan.length) {
      const dueNow = [];
      while (i < plan.length && plan[i].at <= Date.now()) dueNow.push(plan[i++]);
      failed += await pool(dueNow, o.concurrency, async (p) => {
        const token = signOneTapToken(
          {
            purpose: OneTapPurpose.SafetyAnswer,
            residentId: p.residentId,
            alertId,
            answer: p.answer,
            expiresAt: Date.now() + 3_600_000,
          },
          o.oneTapSecret,
        );
        await api.call('POST', '/v1/safety/answer', { token, answer: p.answer });
        answersSent++;
      });
      if (i < plan.length) await sleep(Math.min(250, Math.max(0, plan[i].at - Date.now())));
    }
    return failed;
  })();

  // the apps: each accepted push is acknowledged as delivered a few seconds later, some as read afterwards
  const acking = (async () => {
    let after = '0';
    let failed = 0;
    while (!done) {
      const ids = await stores.acks.awaitingAck(alertId, Channel.Fcm, after);
      if (ids.length > 0) after = ids[ids.length - 1];
      const acked = ids.filter(() => Math.random() < o.appAckRate);
      failed += await pool(acked, o.concurrency, async (deliveryId) => {
        const token = signDeliveryAckToken({ deliveryId, expiresAt: Date.now() + 3_600_000 }, o.ackSecret);
        await api.call('POST', '/v1/acks/signed', { token, stage: 'delivered' });
        if (Math.random() < 0.1) await api.call('POST', '/v1/acks/signed', { token, stage: 'read' });
        acksSent++;
      });
      await sleep(1_000);
    }
    return failed;
  })();

  const progress = setInterval(() => {
    void Promise.all([
      api.call<LiveView>('GET', `${base}/alerts/${alertId}/live`, undefined, operator),
      api.call<DrillView>('GET', `${base}/drills/${alertId}`, undefined, operator),
    ]).then(
      ([live, d]) =>
        console.log(
          `  t+${String(Math.round((Date.now() - launchedAt) / 1000)).padStart(3)}s  planned ${live.totals.planned}` +
            `  queued ${live.totals.queued}  sent ${live.totals.sent}  delivered ${live.totals.delivered}  played ${live.totals.played}` +
            `  read ${live.totals.read}  failed ${live.totals.failed}  |  answered ${d.answered}/${d.asked}` +
            ` (${pct(d.asked ? d.answered / d.asked : null).trim()})`,
        ),
      (err: unknown) =>
        console.log(`  progress unavailable: ${err instanceof Error ? err.message : String(err)}`),
    );
  }, 3_000);

  const answerFailures = await answering;
  await sleep(3_000); // the last pushes and acks settle
  done = true;
  const ackFailures = await acking;
  clearInterval(progress);

  const report = await api.call<Report>('GET', `${base}/drills/${alertId}/report`, undefined, operator);
  const csv = await api.bytes(`${base}/drills/${alertId}/report?format=csv`, operator);
  writeFileSync(o.csv, csv);
  printReport(report);
  console.log(
    `\n==> answers sent ${answersSent} (failed ${answerFailures}), app acks sent ${acksSent} (failed ${ackFailures})`,
  );
  console.log(`==> CSV report (UTF-8 with BOM, opens in Excel): ${o.csv}`);
  console.log(`==> whole drill: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

function printReport(r: Report): void {
  console.log('\n=== 訓練結果 / drill report ===');
  console.log('group                        asked  answered    rate  target  met   min to 25/50/75/90/100%');
  for (const g of r.groups) {
    const curve = g.curve.map((c) => (c.minutes === null ? '-' : c.minutes.toFixed(1))).join(' / ');
    console.log(
      `${(LABEL[g.group] ?? g.group).padEnd(26)} ${String(g.asked).padStart(6)}  ${String(g.answered).padStart(8)}  ${pct(g.rate)}` +
        `  ${pct(g.target)}  ${g.met === null ? ' - ' : g.met ? 'yes' : 'NO '}   ${curve}`,
    );
  }
  console.log('\ndistrict          asked  answered    rate');
  for (const d of r.districts) {
    console.log(
      `${(d.areaName ?? '(none)').padEnd(14)} ${String(d.asked).padStart(7)}  ${String(d.answered).padStart(8)}  ${pct(d.rate)}`,
    );
  }
  console.log('\ndeliveries: ' + JSON.stringify(r.deliveries));
  const silent = r.nonResponders.filter((n) => n.group === 'needs_assistance');
  console.log(`\nnon-responders: ${r.nonResponders.length} (要援護者 ${silent.length}), first ones:`);
  for (const n of r.nonResponders.slice(0, 5)) {
    console.log(
      `  ${LABEL[n.group] ?? n.group}  ${n.name}  ${n.areaName ?? ''}  escalation: ${n.escalationOutcome}`,
    );
  }
  if (r.comparison.length > 0) {
    console.log('\nearlier drills (all asked):');
    for (const c of r.comparison) {
      const all = c.groups.find((g) => g.group === 'all');
      console.log(
        `  ${c.launchedAt}  ${c.title ?? ''}  ${all?.answered ?? 0}/${all?.asked ?? 0}  ${pct(all?.rate ?? null)}`,
      );
    }
  }
}
