/**
 * What untrusted structured input (a request body, query, path parameter, a relayed message) must satisfy
 * before anything reads it: it is not nested deeper than any document we accept, and every string in it (keys
 * included) is Unicode text that Postgres can store. Postgres `text` cannot hold U+0000, and `jsonb` refuses a
 * lone UTF-16 surrogate (`"\ud800"` is valid JSON but not Unicode); libraries that URI-encode strings throw on
 * one. `__proto__` as a key is refused too: copied onto an object it replaces the object's prototype.
 */

/** Deeper than anything we accept: our deepest body (feed rule conditions) is a handful of levels. */
export const MAX_INPUT_DEPTH = 32;

export enum InputProblem {
  TooDeep = 'too_deep',
  NulCharacter = 'nul_character',
  LoneSurrogate = 'lone_surrogate',
  ForbiddenKey = 'forbidden_key',
}

export const INPUT_PROBLEM_MESSAGE: Record<InputProblem, string> = {
  [InputProblem.TooDeep]: `is nested more than ${MAX_INPUT_DEPTH} levels deep`,
  [InputProblem.NulCharacter]: 'contains a NUL character (U+0000)',
  [InputProblem.LoneSurrogate]: 'contains a lone UTF-16 surrogate, which is not Unicode text',
  [InputProblem.ForbiddenKey]: 'uses the reserved key __proto__',
};

export interface InputFinding {
  /** Where: `texts.ja.title`, `items[3]`; empty for the value itself. */
  path: string;
  problem: InputProblem;
}

/** Whether a string can be stored and processed as text, or why not. */
export function textProblem(s: string): InputProblem.NulCharacter | InputProblem.LoneSurrogate | null {
  if (s.includes('\u0000')) return InputProblem.NulCharacter;
  // with the u flag, paired surrogates are one code point: only a lone one is in the Surrogate category
  if (/\p{Cs}/u.test(s)) return InputProblem.LoneSurrogate;
  return null;
}

function keyPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * The first problem in `value`, or null. Iterative, so a hostile depth cannot overflow the stack here;
 * `path` is the prefix for the findings (e.g. the query parameter's name).
 */
export function findInputProblem(value: unknown, path = '', maxDepth = MAX_INPUT_DEPTH): InputFinding | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next.value === 'string') {
      const problem = textProblem(next.value);
      if (problem) return { path: next.path, problem };
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= maxDepth) return { path: next.path, problem: InputProblem.TooDeep };
    const depth = next.depth + 1;
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(next.value)) {
      next.value.forEach((v, i) => children.push({ value: v, path: keyPath(next.path, i), depth }));
    } else {
      for (const [key, v] of Object.entries(next.value)) {
        const at = keyPath(next.path, key);
        if (key === '__proto__') return { path: at, problem: InputProblem.ForbiddenKey };
        const problem = textProblem(key);
        if (problem) return { path: next.path, problem };
        children.push({ value: v, path: at, depth });
      }
    }
    // reversed, so that findings come in document order
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return null;
}
