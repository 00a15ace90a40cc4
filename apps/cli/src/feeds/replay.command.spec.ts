import * as path from 'node:path';
import { captureIo } from '@bousai/testing';
import { feedsReplayCommand } from './replay.command';

/** The real JMA telegrams (test/fixtures/feeds/SOURCES.md). */
const jmaxml = path.resolve(__dirname, '../../../../test/fixtures/feeds/jmaxml');

const capture = captureIo;

describe(feedsReplayCommand.name, () => {
  it('replays every fixture for 安来市: only the R06 レベル３大雨警報 makes an alert, for approval', async () => {
    const io = capture();

    const code = await feedsReplayCommand([jmaxml], io);

    expect(code).toBe(0);
    const lines = io.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].split('  ')).toEqual([
      '2024-11-02T11:19:00+09:00',
      expect.stringContaining('VPWW55'),
      'weather.warning_r06.heavy_rain',
      'create',
      '#1',
      'weather-warning',
      'severe',
      'all',
      'approval',
      '【気象庁発表】安来市 レベル３大雨警報',
    ]);
    // the level-3 warning in force also proposes 高齢者等避難 (no orders in force are known to the replay)
    expect(lines[1].split('  ').slice(2)).toEqual([
      'weather.warning_r06.heavy_rain',
      'evacuation_draft',
      'issue',
      'level3',
      'heavy_rain',
      'jma:3220600',
      '高齢者等避難',
    ]);
    expect(lines[2]).toMatch(
      /^replayed 45 documents \(0 refused\) for 安来市: 1 alerts \(0 auto-send, 1 for approval.*, 1 evacuation drafts$/,
    );
  });

  it('for another municipality, in time order: the EEW warning is sent, then cancelled by its 取消', async () => {
    const io = capture();

    await feedsReplayCommand(
      [path.join(jmaxml, 'eew'), '--municipality', '3820300', '--eew-area', '622'],
      io,
    );

    const lines = io.stdout().trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => l.split('  ').slice(2, 6))).toEqual([
      ['eew.warning', 'create', '#1', 'eew-warning'],
      ['eew.warning', 'cancel', '#1', 'eew-warning'],
    ]);
    expect(lines[2]).toMatch(/^replayed 7 documents .*: 1 alerts \(1 auto-send.*, 1 cancelled/);
    expect(lines[0]).toContain('auto-send');
  });

  it('refuses a bad municipality code with usage', async () => {
    const io = capture();
    expect(await feedsReplayCommand([jmaxml, '--municipality', '32206'], io)).toBe(2);
    expect(io.stderr()).toContain('7-digit');
  });
});
