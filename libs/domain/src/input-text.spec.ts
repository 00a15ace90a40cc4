import { findInputProblem, InputProblem, MAX_INPUT_DEPTH, textProblem } from './input-text';

function nested(depth: number): unknown {
  let v: unknown = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

describe(findInputProblem.name, () => {
  it('passes ordinary text, paired surrogates (emoji) and numbers', () => {
    expect(findInputProblem({ title: '避難指示 😀', n: 1, tags: ['a', null, true] })).toBeNull();
    expect(textProblem('👨‍👩‍👧')).toBeNull();
  });

  it('names the field holding a NUL or a lone surrogate, in document order', () => {
    expect(findInputProblem({ texts: { ja: { title: 'ok', body: 'a\u0000b' } }, x: '\ud800' })).toEqual({
      path: 'texts.ja.body',
      problem: InputProblem.NulCharacter,
    });
    expect(findInputProblem({ ids: ['ok', 'x\udc00'] })).toEqual({
      path: 'ids[1]',
      problem: InputProblem.LoneSurrogate,
    });
    expect(findInputProblem('\ud83d', 'cursor')).toEqual({
      path: 'cursor',
      problem: InputProblem.LoneSurrogate,
    });
  });

  it('checks keys too, and refuses __proto__ as one', () => {
    expect(findInputProblem({ a: { 'k\u0000': 1 } })?.problem).toBe(InputProblem.NulCharacter);
    expect(findInputProblem(JSON.parse('{"s":{"__proto__":{"x":1}}}'))).toEqual({
      path: 's.__proto__',
      problem: InputProblem.ForbiddenKey,
    });
  });

  it('bounds depth without recursing, however deep the value', () => {
    expect(findInputProblem(nested(MAX_INPUT_DEPTH))).toBeNull();
    expect(findInputProblem(nested(MAX_INPUT_DEPTH + 1))?.problem).toBe(InputProblem.TooDeep);
    expect(findInputProblem(nested(200_000))?.problem).toBe(InputProblem.TooDeep);
  });
});
