import { feedBackoffMs, nextPollDelayMs } from './poll-timing';

describe(nextPollDelayMs.name, () => {
  const noJitter = () => 0;

  it('waits until :20 past the minute', () => {
    const at = (s: number) => Date.UTC(2026, 10, 24, 12, 0, s);
    expect(nextPollDelayMs(at(0), 60_000, 20, 0, noJitter)).toBe(20_000);
    expect(nextPollDelayMs(at(19), 60_000, 20, 0, noJitter)).toBe(1_000);
    expect(nextPollDelayMs(at(21), 60_000, 20, 0, noJitter)).toBe(59_000);
  });

  it('adds at most the jitter', () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    expect(nextPollDelayMs(now, 60_000, 20, 5_000, () => 0.999)).toBe(24_995);
  });
});

describe(feedBackoffMs.name, () => {
  it('retries at the next poll after one failure, then doubles up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => feedBackoffMs(n, 60_000, 600_000))).toEqual([0, 60_000, 180_000, 420_000]);
    expect(feedBackoffMs(5, 60_000, 600_000)).toBe(600_000);
    expect(feedBackoffMs(500, 60_000, 600_000)).toBe(600_000);
  });
});
