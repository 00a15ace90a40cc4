import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { captureIo } from '@bousai/testing';
import { feedsParseCommand, feedsVerifyCommand } from './feeds.command';

/** The real telegrams and CAP messages with their oracle (test/fixtures/feeds/SOURCES.md). */
const fixtures = path.resolve(__dirname, '../../../../test/fixtures/feeds');

const capture = captureIo;

describe(feedsParseCommand.name, () => {
  it('prints only the normalised message as JSON on stdout', async () => {
    const io = capture();

    const code = await feedsParseCommand(
      [path.join(fixtures, 'jmaxml/eew/vxse43_20240417231454_s1_bungo-channel.xml')],
      io,
    );

    expect(code).toBe(0);
    expect(io.stderr()).toBe('');
    expect(JSON.parse(io.stdout())).toMatchObject({
      source: 'jma',
      head: { eventId: '20240417231454', serial: '1' },
      body: { family: 'eew', regionCount: 9 },
    });
  });

  it('prints the coded error on stderr and exits 1 for a refused document', async () => {
    const io = capture();

    const code = await feedsParseCommand([path.join(fixtures, 'cap/cap12_hostile_xxe.xml')], io);

    expect(code).toBe(1);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toMatch(/^XML_DOCTYPE_FORBIDDEN: /);
  });

  it('applies --max-bytes', async () => {
    const io = capture();

    const code = await feedsParseCommand(
      [path.join(fixtures, 'cap/cap12_taiwan_zh-tw.xml'), '--max-bytes', '100'],
      io,
    );

    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/^XML_TOO_LARGE: /);
  });
});

describe(feedsVerifyCommand.name, () => {
  it('ends with the summary line and exits 0 on test/fixtures/feeds', async () => {
    const io = capture();

    const code = await feedsVerifyCommand([fixtures], io);

    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/^verified: \d+ files, 0 mismatches\n$/);
  });

  it('lists mismatches above the summary and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'feeds-verify-'));
    writeFileSync(
      path.join(dir, 'EXPECTED.json'),
      JSON.stringify({
        schemaVersion: 1,
        files: {
          'a.xml': { file: 'a.xml', format: 'cap', facts: { alert: { identifier: 'B' } } },
          'missing.xml': { file: 'missing.xml', format: 'cap' },
        },
      }),
    );
    writeFileSync(
      path.join(dir, 'a.xml'),
      '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>A</identifier><sender>s</sender>' +
        '<sent>2024-01-01T00:00:00+09:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope></alert>',
    );
    const io = capture();

    const code = await feedsVerifyCommand([dir], io);

    expect(code).toBe(1);
    expect(io.stdout().split('\n')).toEqual([
      'a.xml facts.alert.identifier: expected "B", got "A"',
      'missing.xml: expected "a readable file", got "missing"',
      'verified: 2 files, 2 mismatches',
      '',
    ]);
  });
});
