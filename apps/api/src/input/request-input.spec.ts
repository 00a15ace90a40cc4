import { jsonNestingDepth } from './request-input';

describe(jsonNestingDepth.name, () => {
  it('counts arrays and objects outside strings', () => {
    expect(jsonNestingDepth('1')).toBe(0);
    expect(jsonNestingDepth('{"a":[1,{"b":[]}],"c":{}}')).toBe(4);
    expect(jsonNestingDepth(Buffer.from('['.repeat(5_000) + ']'.repeat(5_000)))).toBe(5_000);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingDepth('{"a":"[[[{{{","b":"\\"[[[\\\\"}')).toBe(1);
    expect(jsonNestingDepth(Buffer.from('["漢字[[[", "\\u005b"]'))).toBe(1);
  });
});
