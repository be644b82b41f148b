// The fixture annotation grammar: comments in every syntax fixtures use, JSX included.
import { describe, expect, it } from 'vitest';
import { parseAnnotations } from '../../src/engine/fixtures.js';

describe('fixture annotations', () => {
  it('reads #, //, /* */, <!-- --> and JSX {/* */} comments, each about the next non-annotation line', () => {
    const lines = [
      '# expect: a/b',
      'x = 1',
      '// ok: a/b',
      'y()',
      '<div>',
      '  {/* expect: a/b (high) */}',
      '  <p dangerouslySetInnerHTML={{ __html: html }} />',
      '/* todo-ok: a/b */',
      '<!-- expect: a/b, c/d -->',
      'z',
    ];
    expect(parseAnnotations(lines)).toEqual([
      { kind: 'expect', ruleId: 'a/b', severity: undefined, line: 2 },
      { kind: 'ok', ruleId: 'a/b', severity: undefined, line: 4 },
      { kind: 'expect', ruleId: 'a/b', severity: 'high', line: 7 },
      { kind: 'todo-ok', ruleId: 'a/b', severity: undefined, line: 10 },
      { kind: 'expect', ruleId: 'a/b', severity: undefined, line: 10 },
      { kind: 'expect', ruleId: 'c/d', severity: undefined, line: 10 },
    ]);
  });

  it('ignores the words in ordinary code and strings', () => {
    expect(parseAnnotations(['const s = "# expect: a/b";', 'f()'])).toEqual([]);
  });
});
