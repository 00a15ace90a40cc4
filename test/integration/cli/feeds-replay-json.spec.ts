import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { captureIo } from '@bousai/testing';
import { feedsReplayCommand, type ReplayJsonLine } from '../../../apps/cli/src/feeds/replay.command';

/** The shared fixtures (test/fixtures/feeds/SOURCES.md). */
const feeds = path.resolve(__dirname, '../../fixtures/feeds');

function capture() {
  const io = captureIo();
  const lines = () =>
    io
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ReplayJsonLine);
  return { ...io, lines };
}

const REQUIRED = ['file', 'action', 'level', 'hazard', 'severity', 'autoSend', 'jmaCodes'];

describe('feeds:replay --json', () => {
  let dir: string;

  beforeAll(async () => {
    // a directory of our own: R06 telegrams in a sub-folder, an EEW, a CAP alert, a hostile and a non-XML file
    dir = await mkdtemp(path.join(tmpdir(), 'bousai-replay-'));
    await mkdir(path.join(dir, 'kyoto', 'r06'), { recursive: true });
    await copyFile(
      path.join(feeds, 'jmaxml/weather/vpww57_kyoto_20200622_r06-storm-surge.xml'),
      path.join(dir, 'kyoto/r06/20200622140000_0_VPWW57_261000.xml'),
    );
    await copyFile(
      path.join(feeds, 'jmaxml/weather/vpww55_shimane_20241102_r06-heavy-rain.xml'),
      path.join(dir, 'shimane.xml'),
    );
    await copyFile(
      path.join(feeds, 'jmaxml/eew/vxse43_20240417231454_s1_bungo-channel.xml'),
      path.join(dir, 'eew.xml'),
    );
    await copyFile(path.join(feeds, 'cap/cap12_nws_blizzard-warning.xml'), path.join(dir, 'cap.xml'));
    await copyFile(path.join(feeds, 'cap/cap12_hostile_xxe.xml'), path.join(dir, 'hostile.xml'));
    await writeFile(path.join(dir, 'notes.txt'), 'not a telegram');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON object per action, with the alert and the evacuation draft of a レベル４ storm surge', async () => {
    const io = capture();

    const code = await feedsReplayCommand([dir, '--municipality', '2620200', '--json'], io);

    expect(code).toBe(0);
    const lines = io.lines();
    expect(lines.map((l) => [l.file, l.action])).toEqual([
      [path.join('kyoto', 'r06', '20200622140000_0_VPWW57_261000.xml'), 'alert'],
      [path.join('kyoto', 'r06', '20200622140000_0_VPWW57_261000.xml'), 'evacuation_draft'],
    ]);
    expect(lines[0]).toMatchObject({
      level: 4,
      hazard: 'storm_surge',
      severity: 'extreme',
      autoSend: false,
      jmaCodes: ['2620200'],
      ruleId: 'weather-danger-warning',
      dataType: 'VPWW57',
      title: '【気象庁発表】舞鶴市 レベル４高潮危険警報',
    });
    expect(lines[1]).toMatchObject({
      level: 4,
      hazard: 'storm_surge',
      autoSend: false,
      jmaCodes: ['2620200'],
      proposal: 'issue',
      evacuation: '避難指示',
    });
    // stdout is JSON only: the skipped file and the summary go to stderr
    expect(io.stderr()).toContain('skipped hostile.xml: XML_DOCTYPE_FORBIDDEN');
    expect(io.stderr()).toMatch(
      /replayed 4 documents \(1 refused\) for 2620200: 1 alerts .* 1 evacuation drafts/,
    );
  });

  it('gives every line the documented fields, for a level-3 district and an EEW area alike', async () => {
    const shimane = capture();
    await feedsReplayCommand([dir, '--json'], shimane);
    const eew = capture();
    await feedsReplayCommand([dir, '--municipality', '3820300', '--eew-area', '622', '--json'], eew);

    const lines = [...shimane.lines(), ...eew.lines()];
    expect(lines.map((l) => [l.action, l.level, l.hazard, l.autoSend])).toEqual([
      ['alert', 3, 'heavy_rain', false],
      ['evacuation_draft', 3, 'heavy_rain', false],
      ['alert', null, 'earthquake', true],
    ]);
    for (const line of lines) {
      for (const key of REQUIRED) expect(line).toHaveProperty(key);
      expect(Array.isArray(line.jmaCodes)).toBe(true);
    }
  });

  it('works on any directory: the whole fixture tree, and one with no telegram at all', async () => {
    const all = capture();
    expect(await feedsReplayCommand([feeds, '--json'], all)).toBe(0);
    expect(all.lines().length).toBeGreaterThan(0);
    expect(all.stderr()).toMatch(/refused/);

    const empty = await mkdtemp(path.join(tmpdir(), 'bousai-replay-empty-'));
    try {
      const none = capture();
      expect(await feedsReplayCommand([empty, '--json'], none)).toBe(0);
      expect(none.stdout()).toBe('');
      expect(none.stderr()).toMatch(/^replayed 0 documents/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
