import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';

/**
 * Lines (0-based) whose end lies inside a multi-line string value: the whitespace there is part
 * of the data, so removing it would change what the program does.
 */
function linesInsideStringValues(root: SgNode, family: 'py' | 'ts'): Set<number> {
  const lines = new Set<number>();
  for (const node of root.findAll({ rule: { kind: family === 'py' ? 'string' : 'template_string' } })) {
    const { start, end } = node.range();
    if (start.line === end.line || isDocstring(node)) continue;
    // Every line from the opening quote up to the one before the closing quote ends inside the literal.
    for (let line = start.line; line < end.line; line++) lines.add(line);
  }
  return lines;
}

/** A bare string statement is a docstring: documentation, not data, and safe to clean (Ruff's view too). */
function isDocstring(string: SgNode): boolean {
  const parent = string.parent();
  return parent?.kind() === 'expression_statement' && parent.children().filter((c) => c.isNamed()).length === 1;
}

const TRAILING = /[ \t]+$/;

function describe(whitespace: string, blank: boolean): string {
  const spaces = [...whitespace].filter((c) => c === ' ').length;
  const tabs = whitespace.length - spaces;
  const parts = [spaces ? `${spaces} space${spaces === 1 ? '' : 's'}` : '', tabs ? `${tabs} tab${tabs === 1 ? '' : 's'}` : ''].filter(Boolean);
  return blank ? `Blank line contains whitespace (${parts.join(' and ')}).` : `Trailing whitespace: ${parts.join(' and ')} after the last character.`;
}

export default defineRule({
  meta: {
    id: 'code-quality/trailing-whitespace',
    title: 'Trailing whitespace',
    area: 'code-quality',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['any'],
    since: '0.1.0',
    description: 'Spaces or tabs at the end of a line, including whitespace-only blank lines.',
    why:
      'Invisible whitespace makes diffs noisy (every editor that strips it rewrites unrelated lines) and hides real changes in ' +
      'review; seed 002 counted 226 such lines and cleaned them by hand. One finding is reported per line, with the exact ' +
      'columns of the whitespace, so the count matches what a cleanup touches, `probity fix` can remove precisely that range, ' +
      'and `probity-ignore` works per line; reports group the occurrences under one problem. Not reported: whitespace inside a ' +
      'multi-line string value (a Python triple-quoted string that is not a docstring, a JavaScript/TypeScript template ' +
      'literal), because it is part of the data and stripping it changes behaviour; CRLF line endings (the `\\r` belongs to the ' +
      'line break); Markdown, where two trailing spaces are a hard line break (it is never handed to the rule). Docstrings are ' +
      'documentation and are reported. Tests and scripts are checked too: formatting applies everywhere.',
    recommendation:
      'Strip trailing whitespace (`sed -i \'s/[ \\t]*$//\'`, or your editor\'s "trim trailing whitespace on save"), and keep it ' +
      'stripped with `.editorconfig` (`trim_trailing_whitespace = true`) and the pre-commit `trailing-whitespace` hook.',
    examples: [
      {
        language: 'py',
        bad: 'def total(prices):  \n    return sum(prices)\n',
        good: 'def total(prices):\n    return sum(prices)\n',
      },
      {
        language: 'text',
        bad: 'services:\n  api:\n    image: bot:latest  \n',
        good: 'services:\n  api:\n    image: bot:latest\n',
      },
    ],
    references: ['seed 002 (trailing whitespace: 226 found, 82 fixed)', 'pycodestyle W291/W293', 'ESLint no-trailing-spaces', 'pre-commit-hooks trailing-whitespace'],
    appliesTo: { tests: true, scripts: true },
  },
  onFile(context) {
    // Most files have no trailing whitespace: only then is the tree searched for string values.
    if (!context.lines.some((line) => TRAILING.test(line))) return;
    const { family } = context.file;
    const protectedLines = context.root && family !== 'text' ? linesInsideStringValues(context.root, family) : undefined;
    context.lines.forEach((line, index) => {
      const match = TRAILING.exec(line);
      if (!match || protectedLines?.has(index)) return;
      const blank = match.index === 0;
      context.report({
        range: { line: index + 1, column: match.index + 1, endLine: index + 1, endColumn: line.length + 1 },
        message: describe(match[0], blank),
      });
    });
  },
});
