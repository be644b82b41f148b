import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { commentAt } from '../../_shared/position-lookup.js';

const FILE_FILTER = /type:\s*ignore|pyright:\s*ignore|mypy:\s*ignore-errors|@ts-(?:ignore|nocheck|expect-error)/;

/** mypy's and pyright's line suppressions; a bracketed code names what is silenced (Ruff PGH003). */
const PY_LINE = /#\s*(type|pyright):\s*ignore\b(\[[^\]]*\])?(.*)$/;
const PY_FILE = /^#\s*mypy:\s*ignore-errors\b(.*)$/;
/** Pragmas that may follow a suppression but are not a reason. */
const PRAGMA = /^(noqa|nosec|pylint:|pragma:|fmt:|isort:|pyright:|type:|mypy:|probity-ignore)/i;
/** TypeScript reads its directives at the start of a comment (`//`, `///`, `/*`, `/**`). */
const TS_DIRECTIVE = /^(?:\/\/\/?|\/\*+)\s*@(ts-ignore|ts-expect-error|ts-nocheck)\b(.*)$/s;

/** Text after a directive that explains it: at least three letters that are not another pragma. */
function isReason(rest: string): boolean {
  const text = rest
    .replace(/\*\/\s*$/, '')
    .replace(/^[\s#:\-–—]+/, '')
    .trim();
  if (PRAGMA.test(text)) return false;
  return (text.match(/[a-z]/gi) ?? []).length >= 3;
}

/** PEP 484: a `# type: ignore` alone on a line before any code silences the whole module. */
function isModuleLevel(comment: SgNode, context: RuleContext): boolean {
  if (comment.parent()?.kind() !== 'module') return false;
  const { line, column } = comment.range().start;
  if (context.lines[line].slice(0, column).trim() !== '') return false;
  let previous = comment.prev();
  while (previous) {
    if (previous.kind() !== 'comment') return false;
    previous = previous.prev();
  }
  return true;
}

/** Comments containing a match of `pattern`, found by looking up only the lines that mention it. */
function commentsMatching(context: RuleContext, pattern: RegExp): SgNode[] {
  const comments = new Map<number, SgNode>();
  context.lines.forEach((line, index) => {
    for (const match of line.matchAll(pattern)) {
      const comment = commentAt(context.root!, index, match.index);
      if (comment) comments.set(comment.range().start.index, comment);
    }
  });
  return [...comments.values()];
}

function checkPython(context: RuleContext): void {
  for (const comment of commentsMatching(context, /(type|pyright):\s*ignore|mypy:\s*ignore-errors/g)) {
    const text = comment.text();
    const fileLevel = PY_FILE.exec(text);
    if (fileLevel) {
      if (!isReason(fileLevel[1])) {
        context.report({ node: comment, severity: 'medium', message: '`# mypy: ignore-errors` turns off type checking for the whole module without saying why.' });
      }
      continue;
    }
    const line = PY_LINE.exec(text);
    if (!line || line[2] || isReason(line[3])) continue;
    const tool = line[1];
    if (tool === 'type' && isModuleLevel(comment, context)) {
      context.report({ node: comment, severity: 'medium', message: '`# type: ignore` before any code turns off type checking for the whole module without saying why.' });
      continue;
    }
    context.report({
      node: comment,
      message: `\`# ${tool}: ignore\` silences every type error on this line, with no error code and no reason.`,
    });
  }
}

function checkTypeScript(context: RuleContext): void {
  for (const comment of commentsMatching(context, /@ts-(?:ignore|nocheck|expect-error)/g)) {
    const directive = TS_DIRECTIVE.exec(comment.text());
    if (!directive || isReason(directive[2])) continue;
    const [, name] = directive;
    if (name === 'ts-nocheck') {
      context.report({ node: comment, severity: 'medium', message: '`@ts-nocheck` turns off type checking for the whole file without saying why.' });
    } else if (name === 'ts-ignore') {
      context.report({ node: comment, message: '`@ts-ignore` silences any type error on the next line, with no reason.' });
    } else {
      context.report({ node: comment, message: '`@ts-expect-error` without a description of the error it expects.' });
    }
  }
}

export default defineRule({
  meta: {
    id: 'code-quality/type-check-suppressed',
    title: 'Type check suppressed without a reason',
    area: 'code-quality',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Blanket `# type: ignore`, `@ts-ignore`, `@ts-nocheck` and similar suppressions that give no error code or reason.',
    why:
      'A blanket suppression hides every type error on the line, including the ones introduced later, and without a reason ' +
      'no reviewer can tell whether it is still needed. Reported: `# type: ignore` and `# pyright: ignore` without a bracketed ' +
      'error code or a reason comment after them; `@ts-ignore` and `@ts-expect-error` with no description; and, at Medium, ' +
      'file-wide switches without a reason (`# mypy: ignore-errors`, a `# type: ignore` alone at the top of a module, ' +
      '`@ts-nocheck`), which turn type checking off for everything in the file. Not reported: suppressions that name the ' +
      'error (`# type: ignore[attr-defined]`, `# pyright: ignore[reportPrivateUsage]`, the form mypy\'s ' +
      '`ignore-without-code` and Ruff PGH003 ask for) or explain themselves (`# type: ignore  # stubs lack Session.scalars`, ' +
      '`// @ts-expect-error -- the lib\'s types miss the overload (#123)`); the words in strings or docstrings (only comments ' +
      'are read); test files, where passing a wrongly typed value on purpose is how invalid input is tested.',
    recommendation:
      'Fix the type error, or narrow the suppression: name the code (`# type: ignore[arg-type]`), prefer `@ts-expect-error` ' +
      'to `@ts-ignore` (it fails once the error is gone) and write why after it (`// @ts-expect-error -- reason`). Replace ' +
      'file-wide switches with per-line suppressions.',
    examples: [
      {
        language: 'py',
        bad: 'from legacy_sdk import Client\n\nclient = Client(timeout="30")  # type: ignore\n',
        good: 'from legacy_sdk import Client\n\nclient = Client(timeout="30")  # type: ignore[arg-type]\n',
      },
      {
        language: 'ts',
        bad: "import chart from 'old-chart';\n// @ts-ignore\nchart.render(data);\n",
        good: "import chart from 'old-chart';\n// @ts-expect-error -- old-chart ships no types for render (#214)\nchart.render(data);\n",
      },
    ],
    references: ['Ruff PGH003 (blanket-type-ignore)', 'typescript-eslint ban-ts-comment', 'mypy enable_error_code = ignore-without-code', 'PEP 484 (type: ignore at module top)'],
  },
  fileFilter: FILE_FILTER,
  onFile(context) {
    if (!context.root) return;
    if (context.file.family === 'py') checkPython(context);
    else if (context.file.family === 'ts') checkTypeScript(context);
  },
});
