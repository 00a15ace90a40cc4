import { cancellationNoticeTexts, plainTitle } from './cancellation-notice';

describe(cancellationNoticeTexts.name, () => {
  it('marks the notice once per language, in that language', () => {
    expect(
      cancellationNoticeTexts(
        {
          ja: { title: '避難指示', body: '避難してください。' },
          'ja-easy': { title: 'にげて', body: 'にげてください。' },
          en: { title: 'Evacuate', body: 'Evacuate now.' },
          vi: { title: 'Sơ tán', body: 'Sơ tán ngay.' },
        },
        false,
      ),
    ).toEqual({
      ja: { title: '【取消】避難指示', body: '先ほどお知らせした「避難指示」は取り消されました。' },
      'ja-easy': {
        title: '【とりけし】にげて',
        body: 'さきほどの おしらせ「にげて」は とりけしに なりました。',
      },
      en: { title: '[Cancelled] Evacuate', body: 'The earlier alert "Evacuate" has been cancelled.' },
      vi: { title: '[Cancelled] Sơ tán', body: 'The earlier alert "Sơ tán" has been cancelled.' },
    });
  });

  it('withdraws a correction (or a notice) by its plain title, without stacking markers', () => {
    const texts = cancellationNoticeTexts(
      {
        ja: { title: '【取消】【訂正】避難指示', body: '…' },
        en: { title: '[CANCELLED] [Correction] Evacuate', body: '…' },
      },
      false,
    );
    expect(texts.ja?.title).toBe('【取消】避難指示');
    expect(texts.en?.title).toBe('[Cancelled] Evacuate');
  });

  it('marks a drill notice as a drill once, in front', () => {
    const texts = cancellationNoticeTexts({ ja: { title: '【訓練】【訂正】避難指示', body: '…' } }, true);
    expect(texts.ja).toEqual({
      title: '【訓練】【取消】避難指示',
      body: '【訓練】先ほどお知らせした「避難指示」は取り消されました。',
    });
  });
});

describe(plainTitle.name, () => {
  it('keeps markers that are not about drills, corrections or cancellations', () => {
    expect(plainTitle('【警戒レベル4】避難指示')).toBe('【警戒レベル4】避難指示');
    expect(plainTitle('訂正：避難指示')).toBe('避難指示');
    expect(plainTitle(' 【訂正】 [DRILL] 避難指示')).toBe('避難指示');
  });
});
