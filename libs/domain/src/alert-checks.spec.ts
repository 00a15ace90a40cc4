import {
  AlertProblemCode,
  AlertRejectedError,
  assertNoErrors,
  LINE_TEXT_MAX,
  namedTargets,
  targetingProblems,
  textProblems,
} from './alert-checks';
import { Channel } from './enums';
import { ErrorCode } from './errors';

describe(textProblems.name, () => {
  it('refuses a language whose title and body are both blank, and only that one', () => {
    const problems = textProblems({ ja: { title: '避難指示', body: '' }, en: { title: ' ', body: '\n\t' } }, [
      Channel.Receiver,
    ]);
    expect(problems).toEqual([
      expect.objectContaining({ code: AlertProblemCode.EmptyText, severity: 'error', language: 'en' }),
    ]);
  });

  it('refuses a text that is not { title, body } of text', () => {
    const texts = { ja: { title: '避難指示', body: '逃げて' }, en: { title: 5, body: {} } } as never;
    expect(textProblems(texts, [Channel.Line])).toEqual([
      expect.objectContaining({ code: AlertProblemCode.InvalidText, language: 'en', severity: 'error' }),
    ]);
  });

  it("refuses a text over LINE's limit (title, blank line, body) on LINE only", () => {
    const title = '避難指示';
    const body = 'あ'.repeat(LINE_TEXT_MAX - title.length - 2);
    expect(textProblems({ ja: { title, body } }, [Channel.Line])).toEqual([]);
    const over = textProblems({ ja: { title, body: `${body}あ` } }, [Channel.Line, Channel.Fcm]);
    expect(over).toEqual([
      expect.objectContaining({
        code: AlertProblemCode.TextTooLong,
        channel: Channel.Line,
        length: LINE_TEXT_MAX + 1,
        limit: expect.objectContaining({ kind: 'hard', max: LINE_TEXT_MAX }),
      }),
    ]);
    // FCM's limit is soft: the app opens the whole alert
    expect(
      textProblems({ ja: { title, body: 'あ'.repeat(9_000) } }, [Channel.Fcm, Channel.Receiver]),
    ).toEqual([]);
  });
});

describe(targetingProblems.name, () => {
  it('names every unknown id and code, one problem per kind', () => {
    expect(targetingProblems({ areaIds: ['a1'], householdIds: [], jmaCodes: ['581', '582'] })).toEqual([
      expect.objectContaining({ code: AlertProblemCode.UnknownAreas, ids: ['a1'], severity: 'error' }),
      expect.objectContaining({ code: AlertProblemCode.UnknownJmaCodes, ids: ['581', '582'] }),
    ]);
    expect(targetingProblems({ areaIds: [], householdIds: [], jmaCodes: [] })).toEqual([]);
  });
});

describe(assertNoErrors.name, () => {
  it('throws ALERT_REJECTED with the errors only; warnings pass', () => {
    const warning = { code: AlertProblemCode.ChannelUnserved, severity: 'warning' as const, message: 'w' };
    expect(() => assertNoErrors([warning])).not.toThrow();
    const error = { code: AlertProblemCode.EmptyText, severity: 'error' as const, message: 'empty' };
    try {
      assertNoErrors([warning, error]);
      throw new Error('did not throw');
    } catch (err) {
      expect(err).toBeInstanceOf(AlertRejectedError);
      expect((err as AlertRejectedError).code).toBe(ErrorCode.AlertRejected);
      expect((err as AlertRejectedError).details).toEqual({ problems: [error] });
    }
  });
});

describe(namedTargets.name, () => {
  it('takes the lists that must exist, once each', () => {
    expect(namedTargets({ all: true, areaIds: ['a', 'a'], jmaCodes: ['581'], groups: ['staff'] })).toEqual({
      areaIds: ['a'],
      householdIds: [],
      jmaCodes: ['581'],
    });
  });
});
