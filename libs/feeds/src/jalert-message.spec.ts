import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { JAlertErrorCode, JAlertMessageError, parseJAlertRelayBody } from './jalert-message';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/jalert');
const fixture = (name: string): Buffer => readFileSync(path.join(FIXTURES, name));

function refusal(body: string | Uint8Array): JAlertMessageError {
  try {
    parseJAlertRelayBody(body);
  } catch (err) {
    if (err instanceof JAlertMessageError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe(parseJAlertRelayBody.name, () => {
  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')))('accepts our fixture %s', (name) => {
    const message = parseJAlertRelayBody(fixture(name));
    expect(message.source).toBe('jalert');
    expect(message.kind).toMatch(/^jalert\./);
    expect(message.relay.areaCodes.length).toBeGreaterThan(0);
  });

  it('covers every 国民保護 kind and the missile sequence with our fixtures', () => {
    const kinds = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => parseJAlertRelayBody(fixture(f)).kind);
    expect(new Set(kinds)).toEqual(
      new Set([
        'jalert.ballistic_missile',
        'jalert.air_attack',
        'jalert.guerrilla_attack',
        'jalert.large_scale_terrorism',
        'jalert.other_civil_protection',
      ]),
    );
  });

  it('maps the status to flags', () => {
    const actual = parseJAlertRelayBody(fixture('ballistic-missile_launch_actual.json'));
    expect(actual.status).toEqual({ isActual: true, isTraining: false, isTest: false });
    expect(parseJAlertRelayBody(fixture('ballistic-missile_launch_exercise.json')).status.isTraining).toBe(
      true,
    );
    expect(parseJAlertRelayBody(fixture('nationwide-test.json')).status.isTest).toBe(true);
    expect(parseJAlertRelayBody(fixture('ballistic-missile_launch_cancel.json')).relay.infoType).toBe(
      'cancel',
    );
  });

  it('refuses a body that is not UTF-8 JSON', () => {
    expect(refusal('{"id": ').code).toBe(JAlertErrorCode.JsonMalformed);
    expect(refusal(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])).code).toBe(JAlertErrorCode.JsonMalformed);
  });

  it('refuses JSON that breaks the contract, naming each problem by path', () => {
    const base = JSON.parse(fixture('air-attack_actual.json').toString('utf8')) as Record<string, unknown>;
    const unknownType = refusal(JSON.stringify({ ...base, type: 'earthquake' }));
    expect(unknownType.code).toBe(JAlertErrorCode.SchemaInvalid);
    expect(unknownType.details?.problems).toEqual([expect.objectContaining({ path: 'type' })]);
    expect(refusal(JSON.stringify({ ...base, areaCodes: ['32'] })).details?.problems).toEqual([
      expect.objectContaining({ path: 'areaCodes.0' }),
    ]);
    expect(refusal(JSON.stringify({ ...base, areaCodes: [] })).code).toBe(JAlertErrorCode.SchemaInvalid);
    expect(refusal(JSON.stringify({ ...base, issuedAt: '2026-11-24 07:10' })).code).toBe(
      JAlertErrorCode.SchemaInvalid,
    );
    expect(refusal('[]').code).toBe(JAlertErrorCode.SchemaInvalid);
  });

  it('refuses text no database can store: a NUL or a lone surrogate escape, naming where', () => {
    const base = fixture('air-attack_actual.json').toString('utf8');
    const nul = refusal(base.replace('"actual"', '"act\\u0000ual"'));
    expect(nul.code).toBe(JAlertErrorCode.TextInvalid);
    expect(nul.details?.problems).toEqual([{ path: 'status', message: expect.stringMatching(/NUL/) }]);
    const surrogate = refusal(base.replace(/"text": "/, '"text": "\\udc00'));
    expect(surrogate.code).toBe(JAlertErrorCode.TextInvalid);
    expect(surrogate.details?.problems).toEqual([
      { path: 'text', message: expect.stringMatching(/surrogate/) },
    ]);
    // a pair of escapes is one character, and fine
    expect(parseJAlertRelayBody(base.replace(/"text": "/, '"text": "\\ud83d\\ude00')).source).toBe('jalert');
  });

  it('refuses a body over the cap before reading it', () => {
    expect(() => parseJAlertRelayBody('x'.repeat(2_000), { maxBytes: 1_000 })).toThrow(
      expect.objectContaining({ code: JAlertErrorCode.TooLarge }),
    );
  });
});
