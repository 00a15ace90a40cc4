import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  defaultFeedRules,
  type FeedMessage,
  FeedParseError,
  feedIdentity,
  InMemoryFeedReplayer,
  type MunicipalityCodes,
  parseFeedDocument,
  reportTimeOf,
} from '@bousai/feeds';
import type { Targeting } from '@bousai/domain';
import type { CommandIo } from './feeds.command';

const REPLAY_USAGE = `usage: npm run -s feeds:replay -- DIR [--municipality CODE] [--quake-area C] [--tsunami-area C] [--eew-area C]
  Reads every .xml under DIR, parses it, runs the telegrams in ReportDateTime order through dedupe, revisions
  and the default feed rules of one municipality, without a database and without sending anything. Prints one
  line per resulting alert action, then a summary. CODE is a 7-digit 市町村等 code (default 3220600 安来市, whose
  other code systems are known: docs/feeds.md §2); for another CODE give its other systems with the flags.
`;

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
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        municipality: { type: 'string' },
        'quake-area': { type: 'string' },
        'tsunami-area': { type: 'string' },
        'eew-area': { type: 'string' },
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
      messages.push({ file, message: parseFeedDocument(await readFile(file)) });
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
  };
  for (const { message } of messages) {
    const result = replayer.push(message);
    const identity = feedIdentity(message);
    if (result.revision.kind === 'duplicate' || result.revision.kind === 'ignore-older') counts.duplicates++;
    for (const { plan, alertId } of result.actions) {
      const head = [
        identity?.reportedAt ?? '-',
        identity?.eventKeys[0] ?? '-',
        message.kind,
        plan.action,
        alertId ?? '-',
        plan.ruleId,
      ];
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
          io.out(
            `${[...head, d.severity, targetingLabel(d.targeting), mode, d.texts.ja?.title ?? ''].join('  ')}\n`,
          );
          break;
        }
        case 'cancel':
          counts.cancels++;
          io.out(`${[...head, plan.reason].join('  ')}\n`);
          break;
        case 'suppress':
          counts.suppressed++;
          break;
        case 'lift':
          break;
      }
    }
  }
  io.out(
    `replayed ${messages.length} documents (${refused} refused) for ${municipality.name}: ${counts.alerts} alerts ` +
      `(${counts.autoSend} auto-send, ${counts.approval} for approval, ${counts.drills} drills, ` +
      `${counts.corrections} corrections), ${counts.cancels} cancelled, ${counts.suppressed} suppressed, ` +
      `${counts.duplicates} duplicates or older\n`,
  );
  return 0;
}
