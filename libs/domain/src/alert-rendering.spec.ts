import { fitText, fitUtf8, languageFallbackChain, renderAlertText } from './alert-rendering';

const texts = {
  ja: { title: '避難指示', body: '荒島地区に避難指示を発令しました。' },
  'ja-easy': { title: 'にげてください', body: 'あらしま の ひとは にげてください。' },
  en: { title: 'Evacuation order', body: 'Evacuate now.' },
  'zh-CN': { title: '避难指示', body: '请立即避难。' },
};

describe('alert rendering', () => {
  it('falls back through the other Chinese script, English, easy Japanese, then Japanese', () => {
    expect(languageFallbackChain('zh-TW')).toEqual(['zh-TW', 'zh-CN', 'en', 'ja-easy', 'ja']);
    expect(languageFallbackChain('vi')).toEqual(['vi', 'en', 'ja-easy', 'ja']);
    expect(languageFallbackChain('en')).toEqual(['en', 'ja-easy', 'ja']);
    expect(languageFallbackChain('ja-easy')).toEqual(['ja-easy', 'ja']);
    expect(languageFallbackChain('ja')).toEqual(['ja']);
    expect(languageFallbackChain('fr')).toEqual(['en', 'ja-easy', 'ja']);
    expect(languageFallbackChain(null)).toEqual(['en', 'ja-easy', 'ja']);
  });

  it('picks the best text the alert has for each reader', () => {
    expect(renderAlertText(texts, 'zh-TW', { isDrill: false })).toEqual({
      language: 'zh-CN',
      ...texts['zh-CN'],
    });
    expect(renderAlertText(texts, 'vi', { isDrill: false }).language).toBe('en');
    expect(
      renderAlertText({ ja: texts.ja, 'ja-easy': texts['ja-easy'] }, 'ne', { isDrill: false }).language,
    ).toBe('ja-easy');
    expect(renderAlertText({ ja: texts.ja }, 'ko', { isDrill: false })).toEqual({
      language: 'ja',
      ...texts.ja,
    });
  });

  it('marks every drill in the language of the text, once, even when the stored text was not marked', () => {
    expect(renderAlertText(texts, 'ja', { isDrill: true })).toEqual({
      language: 'ja',
      title: '【訓練】避難指示',
      body: '【訓練】荒島地区に避難指示を発令しました。',
    });
    expect(renderAlertText(texts, 'ja-easy', { isDrill: true }).title).toBe('【くんれん】にげてください');
    expect(renderAlertText(texts, 'vi', { isDrill: true }).title).toBe('[DRILL] Evacuation order');
    const already = { ja: { title: '【訓練】避難指示', body: '【訓練】本文' } };
    expect(renderAlertText(already, 'ja', { isDrill: true }).title).toBe('【訓練】避難指示');
  });

  it('refuses an alert with no text at all', () => {
    expect(() => renderAlertText({}, 'ja', { isDrill: false })).toThrow(RangeError);
  });

  it('fits a text to a length without splitting a surrogate pair', () => {
    expect(fitText('短い', 10)).toBe('短い');
    expect(fitText('あいうえおかきくけこ', 5)).toBe('あいうえ…');
    expect([...fitText('𩸽𩸽𩸽𩸽', 4)]).toEqual(['𩸽', '…']);
  });

  it('fits a text to a number of UTF-8 bytes on a character boundary', () => {
    expect(fitUtf8('避難', 6)).toBe('避難');
    const cut = fitUtf8('避難指示を発令しました', 12);
    expect(cut).toBe('避難指…');
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(12);
    expect(Buffer.byteLength(fitUtf8('𩸽'.repeat(10), 9), 'utf8')).toBeLessThanOrEqual(9);
  });
});
