import { describe, expect, it } from '@jest/globals';
import { parseAppLink, parseTypedCode } from './scan-link';

const ORIGIN = 'https://bousai.city.yasugi.example';
const TOKEN =
  '0b8a6c1e-2f4d-4c6a-9e1b-3d5f7a9c1e2f.7c9e1b3d-5f7a-4c1e-8b2d-4f6a8c0e2b4d.q3JkP0x_Vb-9sT2uWm4yZA8cE6gH1iKo';

describe('parseAppLink (what the scanner opens)', () => {
  it.each([
    [`${ORIGIN}/app/#/shelter-check-in/${TOKEN}`, { kind: 'check-in', token: TOKEN }],
    [`${ORIGIN}/app#/shelter-check-in/${TOKEN}`, { kind: 'check-in', token: TOKEN }],
    [`  ${ORIGIN}/app/#/shelter-check-in/${TOKEN}\n`, { kind: 'check-in', token: TOKEN }],
    [`${ORIGIN}/app/?code=K7QM-3XPD-9TRW`, { kind: 'enrol', code: 'K7QM-3XPD-9TRW' }],
    [`${ORIGIN}/app/?code=K7QM-3XPD-9TRW#/`, { kind: 'enrol', code: 'K7QM-3XPD-9TRW' }],
    [`${ORIGIN}/app/?m=322067#/visitor`, { kind: 'visitor', municipality: '322067' }],
  ])('opens the office’s link %s', (text, link) => {
    expect(parseAppLink(text, ORIGIN)).toEqual(link);
  });

  it('reads the origin as the page has it: the host is case-insensitive, a default port is dropped', () => {
    expect(parseAppLink(`HTTPS://Bousai.City.Yasugi.Example:443/app/?m=322067#/visitor`, ORIGIN)).toEqual({
      kind: 'visitor',
      municipality: '322067',
    });
    expect(parseAppLink(`http://127.0.0.1:3000/app/?m=322067#/visitor`, 'http://127.0.0.1:3000')).toEqual({
      kind: 'visitor',
      municipality: '322067',
    });
  });

  it.each([
    // another origin: another host, scheme, port, or a look-alike
    `https://example.invalid/app/#/shelter-check-in/${TOKEN}`,
    `http://bousai.city.yasugi.example/app/#/shelter-check-in/${TOKEN}`,
    `https://bousai.city.yasugi.example:8443/app/#/shelter-check-in/${TOKEN}`,
    `https://bousai.city.yasugi.example.evil.example/app/?code=K7QM-3XPD-9TRW`,
    `https://user:pw@bousai.city.yasugi.example/app/?code=K7QM-3XPD-9TRW`,
    `https://bousai.city.yasugi.example@evil.example/app/?code=K7QM-3XPD-9TRW`,
    // not a web link at all
    'javascript:alert(1)',
    `javascript://bousai.city.yasugi.example/%0aalert(1)`,
    'data:text/html,<script>alert(1)</script>',
    `blob:${ORIGIN}/0b8a6c1e-2f4d-4c6a-9e1b-3d5f7a9c1e2f`,
    'mailto:office@yasugi.example',
    'tel:0854-00-0000',
    // relative or plain text
    `/app/#/shelter-check-in/${TOKEN}`,
    `//example.invalid/app/#/shelter-check-in/${TOKEN}`,
    'K7QM-3XPD-9TRW',
    'こんにちは',
    '',
    // our origin, but not a route the office prints
    `${ORIGIN}/console/`,
    `${ORIGIN}/v1/resident/me`,
    `${ORIGIN}/app/sw.js`,
    `${ORIGIN}/app/#/settings`,
    `${ORIGIN}/app/#/alerts/1`,
    `${ORIGIN}/app/`,
    `${ORIGIN}/app/../console/#/shelter-check-in/${TOKEN}`,
    // a route of ours spelled wrongly or carrying more than it should
    `${ORIGIN}/app/#/shelter-check-in/`,
    `${ORIGIN}/app/#/shelter-check-in/short`,
    `${ORIGIN}/app/#/shelter-check-in/${TOKEN}/../../settings`,
    `${ORIGIN}/app/#/shelter-check-in/${TOKEN}?next=https://example.invalid`,
    `${ORIGIN}/app/?next=x#/shelter-check-in/${TOKEN}`,
    `${ORIGIN}/app/?code=K7QM`,
    `${ORIGIN}/app/?code=K7QM-3XPD-9TRW&next=https://example.invalid`,
    `${ORIGIN}/app/?code=K7QM-3XPD-9TRW#/settings`,
    `${ORIGIN}/app/?code=%3Cscript%3E`,
    `${ORIGIN}/app/?m=32206#/visitor`,
    `${ORIGIN}/app/?m=322067`,
    `${ORIGIN}/app/?m=322067&code=K7QM-3XPD-9TRW#/visitor`,
  ])('refuses %s', (text) => {
    expect(parseAppLink(text, ORIGIN)).toBeUndefined();
  });

  it('refuses a token longer than the api takes', () => {
    expect(parseAppLink(`${ORIGIN}/app/#/shelter-check-in/${'a'.repeat(201)}`, ORIGIN)).toBeUndefined();
  });
});

describe('parseTypedCode (the way without a camera)', () => {
  it('takes a link as the QR code carries it, or the letter’s code by itself', () => {
    expect(parseTypedCode(`${ORIGIN}/app/#/shelter-check-in/${TOKEN}`, ORIGIN)).toEqual({
      kind: 'check-in',
      token: TOKEN,
    });
    expect(parseTypedCode(' k7qm-3xpd-9trw ', ORIGIN)).toEqual({ kind: 'enrol', code: 'k7qm-3xpd-9trw' });
  });

  it.each(['https://example.invalid/x', 'javascript:alert(1)', 'K7QM', 'K7QM 3XPD 9TRW?', ''])(
    'refuses %s',
    (text) => {
      expect(parseTypedCode(text, ORIGIN)).toBeUndefined();
    },
  );
});
