import { LINE_TEXT_MAX } from '@bousai/domain';
import { fitLineText, lineRetryKey } from './line-api.client';

describe('LINE request helpers', () => {
  it('derives the same UUID-shaped retry key from the same request, another from another', () => {
    const a = lineRetryKey('alert-1', '', 'text', 'U1', 'U2');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lineRetryKey('alert-1', '', 'text', 'U1', 'U2')).toBe(a);
    expect(lineRetryKey('alert-1', '', 'text', 'U1')).not.toBe(a);
    expect(lineRetryKey('alert-2', '', 'text', 'U1', 'U2')).not.toBe(a);
  });

  it('cuts a text to LINE’s limit with a mark, never between the halves of a surrogate pair', () => {
    expect(fitLineText('短い')).toBe('短い');
    const long = fitLineText('あ'.repeat(6_000));
    expect(long).toHaveLength(LINE_TEXT_MAX);
    expect(long.endsWith('…')).toBe(true);
    const astral = fitLineText('𩸽'.repeat(3_000));
    expect(astral.length).toBeLessThanOrEqual(LINE_TEXT_MAX);
    expect([...astral.slice(0, -1)].every((c) => c === '𩸽')).toBe(true);
  });
});
