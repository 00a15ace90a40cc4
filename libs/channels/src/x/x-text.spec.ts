import { composeXPost, X_MAX_WEIGHT, X_URL_WEIGHT, xWeightedLength } from './x-text';

/** The weight X gives a post: its text with the trailing link counted as a URL. */
function postWeight(post: string, link: string): number {
  return xWeightedLength(post.slice(0, post.length - link.length)) + X_URL_WEIGHT;
}

describe('X post text', () => {
  const link = 'https://bousai.example.jp/alerts/8f1c2d7e-4b7a-4a8e-9a1f-0c3b5d6e7f80';

  it('weighs Latin as 1 and Japanese as 2', () => {
    expect(xWeightedLength('Evacuate now')).toBe(12);
    expect(xWeightedLength('避難指示')).toBe(8);
    expect(xWeightedLength('【訓練】A')).toBe(9);
  });

  it('keeps a short alert whole, with the link', () => {
    const post = composeXPost('【警戒レベル4】避難指示', '安来市全域に避難指示を発令しました。', link);
    expect(post).toBe(`【警戒レベル4】避難指示\n安来市全域に避難指示を発令しました。\n${link}`);
  });

  it('shortens a long Japanese alert to fit 280 with the link, never cutting the link', () => {
    const body = '土砂災害の危険が高まっています。'.repeat(20);
    const post = composeXPost('【警戒レベル4】避難指示', body, link);
    expect(post.endsWith(`…\n${link}`)).toBe(true);
    expect(postWeight(post, link)).toBeLessThanOrEqual(X_MAX_WEIGHT);
    // it uses the room it has: one more character would not have fitted
    expect(postWeight(post, link)).toBeGreaterThan(X_MAX_WEIGHT - 2);
  });

  it('does not split a character outside the BMP', () => {
    const post = composeXPost('𩸽'.repeat(200), '', link);
    expect([...post.split('\n')[0]].every((c) => c === '𩸽' || c === '…')).toBe(true);
    expect(postWeight(post, link)).toBeLessThanOrEqual(X_MAX_WEIGHT);
  });
});
