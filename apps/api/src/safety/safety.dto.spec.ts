import { pipesAccept } from '../input/pipes.testing';
import { isPlainSafetyAnswer, ResidentSafetyAnswerDto } from './safety.dto';

const BODIES: unknown[] = [
  { answer: 'safe' },
  { answer: 'need_help', via: 'pwa' },
  { answer: 'injured', note: '足をけがして動けない', location: { lat: 35.43, lng: 133.25 }, via: 'app' },
  { answer: 'other', note: 'あ'.repeat(500), location: { lat: -90, lng: 180 } },
  { answer: 'other', note: 'あ'.repeat(501) },
  { answer: 'other', note: '😀'.repeat(250) },
  { answer: 'fine' },
  { answer: 'safe', via: 'link' },
  { answer: 'safe', via: 'phone' },
  { answer: 'safe', note: null },
  { answer: 'safe', note: 42 },
  { answer: 'safe', note: 'a\u0000b' },
  { answer: 'safe', note: 'lone \ud800 surrogate' },
  { answer: 'safe', location: { lat: 200, lng: 0 } },
  { answer: 'safe', location: { lat: 0, lng: -181 } },
  { answer: 'safe', location: { lat: '35', lng: 133 } },
  { answer: 'safe', location: { lat: 35 } },
  { answer: 'safe', location: { lat: 35, lng: 133, alt: 10 } },
  { answer: 'safe', location: [35, 133] },
  { answer: 'safe', location: null },
  { answer: 'safe', extra: 1 },
  JSON.parse('{"answer":"safe","__proto__":{"x":1}}'),
  {},
  [{ answer: 'safe' }],
  null,
  'safe',
];

describe('plain safety answers (served before express)', () => {
  it.each(BODIES.map((b) => [JSON.stringify(b)?.slice(0, 100), b]))(
    'accepts an answer only when the pipes would: %s',
    (_, body) => {
      expect(isPlainSafetyAnswer(body) && !pipesAccept(ResidentSafetyAnswerDto, body)).toBe(false);
    },
  );

  it('accepts the answers apps send, so that they are served before express', () => {
    expect(BODIES.slice(0, 4).map(isPlainSafetyAnswer)).toEqual([true, true, true, true]);
  });
});
