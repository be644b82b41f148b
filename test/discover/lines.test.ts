// Code lines exclude blank and comment-only lines, as cloc counts them.
import { describe, expect, it } from 'vitest';
import { countCodeLines, splitLines } from '../../src/discover/lines.js';

const count = (source: string, family: 'py' | 'ts' | 'text') => countCodeLines(splitLines(source), family);

describe('countCodeLines', () => {
  it('Python: comments, blank lines and docstrings are not code; multi-line strings in code are', () => {
    const source = ['"""Module docstring', 'spanning lines."""', '', '# comment', 'import os', 'def f():', "    '''One-line doc.'''", '    x = """a', 'b', '"""', '    return x  # trailing comment is still code', ''].join('\n');
    expect(count(source, 'py')).toBe(6);
  });

  it('TypeScript: line and block comments are not code', () => {
    const source = ['/**', ' * Doc', ' */', 'const a = 1; /* inline */', '// note', '', 'function f() {', '  /* one */ return a;', '}', 'const b = 2; /* opens', 'still comment */'].join('\n');
    expect(count(source, 'ts')).toBe(5);
  });

  it('text: every non-blank line; # comments in YAML, TOML, Dockerfile, .env; not in CSS', () => {
    expect(count('a: 1\n\n  \nb: 2\n', 'text')).toBe(2);
    expect(countCodeLines(splitLines('# services\napi:\n  image: x  # pinned\n'), 'text', 'yaml')).toBe(2);
    expect(countCodeLines(splitLines('#main {\n  color: red;\n}\n'), 'text', 'css')).toBe(3);
  });
});
