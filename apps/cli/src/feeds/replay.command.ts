import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AlertPlan,
  defaultFeedRules,
  type EvacuationProposal,
  type FeedMessage,
  FeedParseError,
  feedIdentity,
  InMemoryFeedReplayer,
  type MunicipalityCodes,
  parseFeedDocument,
  proposeEvacuationDrafts,
  reportTimeOf,
} from '@bousai/feeds';
import { type AlertLevel, type Hazard, Severity, type Targeting } from '@bousai/domain';
import type { CommandIo } from './feeds.command';

const REPLAY_USAGE = `usage: npm run -s feeds:replay -- DIR [--municipality CODE] [--quake-area C] [--tsunami-area C] [--eew-area C] [--json]
  Reads every .xml under DIR, parses it, runs the telegrams in ReportDateTime order through dedupe, revisions
  and the default feed rules of one municipality, without a database and without sending anything. Prints one
  line per resulting action (alerts, and evacuation drafts proposed from JMA's 警戒レベル), then a summary.
  CODE is a 7-digit 市町村等 code (default 3220600 安来市, whose other code systems are known: docs/feeds.md §2);
  for another CODE give its other systems with the flags.
  --json: one JSON object per line and action on stdout (docs/feeds.md §8.5), the summary on stderr.
`;

/** 避難情報 of each level (docs/feeds.md §6.2). */
const EVACUATION_NAMES: Readonly<Record<EvacuationProposal['level'], string>> = {
  3: '高齢者等避難',
  4: '避難指示',
  5: '緊急安全確保',
};

/** One line of `--json`: what one document would make happen (docs/feeds.md §8.5). */
export interface ReplayJsonLine {
  file: string;
  action:
    'alert' | 'alert_correction' | 'alert_cancel' | 'alert_suppressed' | 'alert_lift' | 'evacuation_draft';
  /** 警戒レベル (2026 scheme) or null. */
  level: AlertLevel | null;
  hazard: Hazard | null;
  severity: Severity | null;
  autoSend: boolean;
  /** The municipality's JMA codes the action concerns. */
  jmaCodes: string[];
  messageKind: string;
  dataType: string | null;
  reportedAt: string | null;
  eventKey: string | null;
  /** Alerts: the rule; evacuation drafts: null. */
  ruleId: string | null;
  /** Alerts: the replay's stand-in id (#1, #2 …). */
  alertId: string | null;
  /** Evacuation drafts: issue / lower / lift, and the 避難情報 it would be. */
  proposal: EvacuationProposal['kind'] | null;
  evacuation: string | null;
  isDrill: boolean;
  title: string | null;
  reason: string;
}

const ALERT_ACTIONS: Readonly<Record<AlertPlan['action'], ReplayJsonLine['action']>> = {
  create: 'alert',
  correct: 'alert_correction',
  cancel: 'alert_cancel',
  suppress: 'alert_suppressed',
  lift: 'alert_lift',
};

function evacuationSeverity(level: EvacuationProposal['level']): Severity {
  return level >= 4 ? Severity.Extreme : Severity.Severe;
}

/** docs/feeds.md §2. */
const YASUGI: MunicipalityCodes = {
  name: '安来市',
  cityCodes: ['3220600'],
  quakeAreaCodes: ['570'],
  tsunamiAreaCodes: ['550'],
  eewAreaCodes: ['570'],
};

const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

async function xmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.xml'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function targetingLabel(t: Targeting): string {
  if (t.all) return 'all';
  if (t.jmaCodes?.length) return `jma:${t.jmaCodes.join(',')}`;
  if (t.areaIds?.length) return `areas:${t.areaIds.length}`;
  return 'none';
}

function codesOf(values: Record<string, string | boolean | undefined>): MunicipalityCodes {
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  const code = str('municipality') ?? '3220600';
  if (!/^\d{7}$/.test(code)) throw new RangeError('--municipality must be a 7-digit 市町村等 code');
  const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);
  if (code === '3220600' && !str('quake-area') && !str('tsunami-area') && !str('eew-area')) return YASUGI;
  return {
    name: code,
    cityCodes: [code],
    quakeAreaCodes: list(str('quake-area')),
    tsunamiAreaCodes: list(str('tsunami-area')),
    eewAreaCodes: list(str('eew-area')),
  };
}

/** `feeds:replay DIR`: stdout carries the alert lines and the summary. Needs no configuration, database or Redis. */
export async function feedsReplayCommand(args: string[], io: CommandIo = processIo): Promise<number> {
  let dir: string;
  let municipality: MunicipalityCodes;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        municipality: { type: 'string' },
        'quake-area': { type: 'string' },
        'tsunami-area': { type: 'string' },
        'eew-area': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(REPLAY_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new RangeError('expected exactly one DIR');
    dir = positionals[0];
    municipality = codesOf(values);
    json = values.json === true;
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n${REPLAY_USAGE}`);
    return 2;
  }
  let files: string[];
  try {
    files = await xmlFiles(dir);
  } catch (err) {
    io.err(`cannot read ${dir}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }

  const messages: { file: string; message: FeedMessage }[] = [];
  let refused = 0;
  for (const file of files) {
    try {
      messages.push({ file, message: parseFeedDocument(await readFile(file), { name: file }) });
    } catch (err) {
      if (!(err instanceof FeedParseError)) throw err;
      refused++;
      io.err(`skipped ${path.relative(dir, file)}: ${err.code}: ${err.message}\n`);
    }
  }
  // time order; files of the same instant in name order (sorted above, and the sort is stable)
  messages.sort((a, b) => reportTimeOf(a.message) - reportTimeOf(b.message));

  const replayer = new InMemoryFeedReplayer(defaultFeedRules(), municipality);
  const counts = {
    alerts: 0,
    autoSend: 0,
    approval: 0,
    drills: 0,
    corrections: 0,
    cancels: 0,
    suppressed: 0,
    duplicates: 0,
    evacuationDrafts: 0,
  };
  const emit = (line: ReplayJsonLine) => io.out(`${JSON.stringify(line)}\n`);
  for (const { file, message } of messages) {
    const result = replayer.push(message);
    const identity = feedIdentity(message);
    if (result.revision.kind === 'duplicate' || result.revision.kind === 'ignore-older') counts.duplicates++;
    const common = {
      file: path.relative(dir, file),
      messageKind: message.kind,
      dataType: message.format === 'jmaxml' ? message.dataType : null,
      reportedAt: identity?.reportedAt ?? null,
      eventKey: identity?.eventKeys[0] ?? null,
    };
    for (const { plan, alertId } of result.actions) {
      const head = [
        identity?.reportedAt ?? '-',
        identity?.eventKeys[0] ?? '-',
        message.kind,
        plan.action,
        alertId ?? '-',
        plan.ruleId,
      ];
      const draft =
        plan.action === 'create' || plan.action === 'correct' || plan.action === 'suppress'
          ? plan.draft
          : null;
      if (json) {
        emit({
          ...common,
          action: ALERT_ACTIONS[plan.action],
          level: draft?.level ?? null,
          hazard: draft?.hazard ?? null,
          severity: draft?.severity ?? null,
          autoSend: plan.action === 'create' || plan.action === 'correct' ? plan.draft.autoSend : false,
          jmaCodes: draft?.matchedCodes ?? [],
          ruleId: plan.ruleId,
          alertId,
          proposal: null,
          evacuation: null,
          isDrill: draft?.isDrill ?? false,
          title: draft?.texts.ja?.title ?? null,
          reason: plan.reason,
        });
      }
      switch (plan.action) {
        case 'create':
        case 'correct': {
          const d = plan.draft;
          counts.alerts++;
          if (plan.action === 'correct') counts.corrections++;
          if (d.isDrill) counts.drills++;
          if (d.autoSend) counts.autoSend++;
          else counts.approval++;
          const mode = `${d.autoSend ? 'auto-send' : 'approval'}${d.isDrill ? ' drill' : ''}`;
          if (!json) {
            io.out(
              `${[...head, d.severity, targetingLabel(d.targeting), mode, d.texts.ja?.title ?? ''].join('  ')}\n`,
            );
          }
          break;
        }
        case 'cancel':
          counts.cancels++;
          if (!json) io.out(`${[...head, plan.reason].join('  ')}\n`);
          break;
        case 'suppress':
          counts.suppressed++;
          break;
        case 'lift':
          break;
      }
    }
    // evacuation drafts from JMA's 警戒レベル: only for reports applied now, and without knowing the orders in
    // force (there are none yet): every level ≥ 3 in force is proposed (docs/feeds.md §8.4)
    if (result.revision.kind !== 'new' && result.revision.kind !== 'correction') continue;
    for (const p of proposeEvacuationDrafts(message, municipality.cityCodes)) {
      counts.evacuationDrafts++;
      const evacuation = EVACUATION_NAMES[p.level];
      const reason = `JMA level ${p.level} ${p.hazard} for ${p.jmaAreaCodes.join(', ')}: ${p.kind} ${evacuation}`;
      if (json) {
        emit({
          ...common,
          action: 'evacuation_draft',
          level: p.level,
          hazard: p.hazard,
          severity: evacuationSeverity(p.level),
          autoSend: false,
          jmaCodes: p.jmaAreaCodes,
          ruleId: null,
          alertId: null,
          proposal: p.kind,
          evacuation,
          isDrill: false,
          title: null,
          reason,
        });
      } else {
        io.out(
          `${[
            identity?.reportedAt ?? '-',
            identity?.eventKeys[0] ?? '-',
            message.kind,
            'evacuation_draft',
            p.kind,
            `level${p.level}`,
            p.hazard,
            `jma:${p.jmaAreaCodes.join(',')}`,
            evacuation,
          ].join('  ')}\n`,
        );
      }
    }
  }
  const summary =
    `replayed ${messages.length} documents (${refused} refused) for ${municipality.name}: ${counts.alerts} alerts ` +
    `(${counts.autoSend} auto-send, ${counts.approval} for approval, ${counts.drills} drills, ` +
    `${counts.corrections} corrections), ${counts.cancels} cancelled, ${counts.suppressed} suppressed, ` +
    `${counts.duplicates} duplicates or older, ${counts.evacuationDrafts} evacuation drafts\n`;
  if (json) io.err(summary);
  else io.out(summary);
  return 0;
}
