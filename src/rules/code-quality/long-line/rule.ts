import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';
import { deepestNodeAt } from '../../_shared/position-lookup.js';

const DEFAULT_MAX = 120;

/** Per-line opt-outs a linter already honours: flake8/Ruff, pylint, ESLint. */
const LINE_OPT_OUT = /#\s*noqa(?!:)|#\s*noqa:[\w\s,]*\bE501\b|pylint:\s*disable=[\w\s,-]*\b(line-too-long|C0301)\b|eslint-disable-line\s+[\w\s,/@-]*\bmax-len\b/;
const NEXT_LINE_OPT_OUT = /eslint-disable-next-line\s+[\w\s,/@-]*\bmax-len\b/;
/** A file-level opt-out: an `/* eslint-disable max-len *\/` or a comment-only pylint disable. */
const FILE_OPT_OUT = /^\s*(?:\/\*\s*eslint-disable\s+[\w\s,/@-]*\bmax-len\b|#\s*pylint:\s*disable=[\w\s,-]*\b(line-too-long|C0301)\b)/m;
/** Trailing pragma comments (Ruff ignores them when the code before fits). */
const TRAILING_PRAGMA = /\s+(?:#\s*(?:type:|noqa|pyright:|pylint:|nosec|pragma:|probity-ignore)|\/\/\s*(?:eslint-|@ts-|prettier-ignore|probity-ignore)|\/\*\s*(?:eslint-|istanbul|c8)).*$/;
/** A copyright line or an SPDX identifier: legal text is not wrapped. */
const LEGAL = /^\s*(?:#|\/\/|\*|\/\*)\s*(?:SPDX-License-Identifier:|Copyright\b|\(c\))/i;

const COMMENT_ONLY = /^\s*(?:#|\/\/|\/\*|\*)/;

/** Characters, not UTF-16 units: an emoji counts once, as editors and pycodestyle count it. */
function width(line: string): number {
  let count = 0;
  for (const _ of line) count++;
  return count;
}

/** Index in `line` (UTF-16) of the character after the first `max` characters. */
function indexAfter(line: string, max: number): number {
  let index = 0;
  let count = 0;
  for (const ch of line) {
    if (count === max) break;
    index += ch.length;
    count++;
  }
  return index;
}

/**
 * A line that only runs over because of one token that cannot be broken: the whitespace-free
 * run crossing the limit reaches the end of the line and is a URL starting before the limit
 * (Ruff's E501 exemption), the whole line or comment, or a string/regex literal without spaces
 * too long to fit even on a continuation line of its own.
 */
function endsInUnbreakableToken(line: string, limitIndex: number, max: number): boolean {
  let start = limitIndex;
  while (start > 0 && !/\s/.test(line[start - 1])) start--;
  const token = line.slice(start);
  if (/\s/.test(token)) return false;
  const before = line.slice(0, start).trim();
  if (before === '' || /^(#|\/\/|\*)$/.test(before)) return true;
  if (token.includes('://')) return true;
  // `"...`, `f'...`, `('...`, `=r"...`, `` `...``, `/regex/`: a literal with no space to break at.
  const literal = /^[\w.=:([{,]*?(?:[rRbBuUfF]{0,2}["'`]|\/[^/*])/.test(token);
  const indent = line.length - line.trimStart().length;
  return literal && indent + CONTINUATION_INDENT + width(token) > max;
}

const CONTINUATION_INDENT = 4;

/** String kinds whose text is data; an interpolation inside them is code again. */
const STRING_KINDS = new Set(['string', 'template_string']);
const INTERPOLATION_KINDS = new Set(['interpolation', 'template_substitution']);

/**
 * Whether the text at the limit belongs to a multi-line string value (a prompt, SQL, a template
 * literal): breaking that line would change the data. Docstrings are documentation and count.
 */
function overflowsInsideMultilineString(root: SgNode, line: number, column: number): boolean {
  let node: SgNode | null = deepestNodeAt(root, line, column);
  for (let depth = 0; node && depth < 4; depth++, node = node.parent()) {
    const kind = String(node.kind());
    if (INTERPOLATION_KINDS.has(kind)) return false;
    if (STRING_KINDS.has(kind)) return isMultilineValue(node);
  }
  return false;
}

function isMultilineValue(string: SgNode): boolean {
  const { start, end } = string.range();
  return start.line !== end.line && !(string.kind() === 'string' && isDocstring(string));
}

/** Above this many long lines one walk over the file's strings is cheaper than a lookup per line. */
const LOOKUPS_BEFORE_WALK = 8;

/**
 * 0-based lines whose part past the limit lies in a multi-line string value (the same test as
 * `overflowsInsideMultilineString`, for all lines at once; interpolations are not separated).
 */
function linesOverflowingInStrings(root: SgNode, family: 'py' | 'ts', max: number): Set<number> {
  const lines = new Set<number>();
  for (const node of root.findAll({ rule: { kind: family === 'py' ? 'string' : 'template_string' } })) {
    if (!isMultilineValue(node)) continue;
    const { start, end } = node.range();
    if (start.column < max) lines.add(start.line);
    for (let line = start.line + 1; line < end.line; line++) lines.add(line);
    if (end.column > max) lines.add(end.line);
  }
  return lines;
}

/** What opens and closes a string that can span lines: triple quotes in Python, a backtick in JS/TS. */
const MULTILINE_DELIMITERS: Record<'py' | 'ts', RegExp> = { py: /"""|\'\'\'/g, ts: /(?<!\\)`/g };

/**
 * Lines that may lie in a multi-line string: a string is open at their start or at their end,
 * counting delimiters (a line whose strings all close on it holds no multi-line value). Only
 * these are looked up in the tree; an unbalanced backtick in a comment merely costs a lookup.
 */
function linesMaybeInStrings(lines: readonly string[], family: 'py' | 'ts'): Set<number> {
  const maybe = new Set<number>();
  const delimiter = MULTILINE_DELIMITERS[family];
  let open = '';
  lines.forEach((line, index) => {
    if (open) maybe.add(index);
    for (const match of line.matchAll(delimiter)) {
      if (!open) open = match[0];
      else if (open === match[0]) open = '';
    }
    if (open) maybe.add(index);
  });
  return maybe;
}

function isDocstring(string: SgNode): boolean {
  const parent = string.parent();
  return parent?.kind() === 'expression_statement' && parent.children().filter((c) => c.isNamed()).length === 1;
}

export default defineRule({
  meta: {
    id: 'code-quality/long-line',
    title: 'Line too long',
    area: 'code-quality',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Lines longer than the configured maximum (120 characters by default).',
    why:
      'Long lines are read by scrolling sideways, hide code off-screen in side-by-side diffs and reviews, and usually pack ' +
      'several steps into one expression; seed 001 counted 37 lines over 120 characters. One finding is reported per line, ' +
      'covering the characters past the limit, so the count matches what a formatter changes and `probity-ignore` works per ' +
      'line. Length is counted in characters, not bytes. Not reported: lines whose excess is one token that cannot be broken ' +
      '(a URL, a path or other string with no space that starts before the limit, a regex, a single word), a copyright or ' +
      'SPDX line, a line that only runs over because of a trailing pragma (`# type: ignore[...]`, `# noqa`, ' +
      '`// eslint-disable-line`), lines already opted out for linters (`# noqa: E501`, bare `# noqa`, ' +
      '`# pylint: disable=line-too-long`, `// eslint-disable-line max-len`, `/* eslint-disable max-len */`), and lines inside ' +
      'a multi-line string value (a triple-quoted prompt or SQL text, a template literal), whose line breaks are part of the ' +
      'data. Docstrings are documentation and are reported. Tests are checked too: they are read as often as the code.',
    recommendation:
      'Run a formatter with a matching width (Black/Ruff `line-length = 120`, Prettier `printWidth: 120`) and split what it ' +
      'cannot: long strings into implicitly concatenated parts, long conditions into named variables. Set `maxLength` to the ' +
      'width your formatter uses.',
    examples: [
      {
        language: 'py',
        bad: `def notify(user):\n    return send_message(user.chat_id, f"Hello {user.first_name}, your subscription to the premium plan renews on {user.renewal_date}")\n`,
        good: `def notify(user):\n    text = f"Hello {user.first_name}, your subscription renews on {user.renewal_date}"\n    return send_message(user.chat_id, text)\n`,
      },
      {
        language: 'ts',
        bad: `export const isReady = (s: Session) => s.user !== undefined && s.token !== undefined && s.expiresAt > Date.now() && !s.revoked;\n`,
        good: `export const DOCS_URL = 'https://docs.example.com/reference/authentication/sessions/refresh-tokens-and-rotation-policies#rotation';\n`,
      },
    ],
    references: ['seed 001 (37 lines exceeding 120 chars)', 'pycodestyle / Ruff E501', 'ESLint max-len', 'pylint C0301 (line-too-long)'],
    appliesTo: { tests: true, scripts: true },
    options: {
      maxLength: { default: DEFAULT_MAX, description: 'Longest allowed line, in characters.' },
      ignoreComments: {
        default: false,
        description: 'Skip lines that are only a comment (ESLint max-len ignoreComments), for codebases whose formatter leaves comments alone.',
      },
    },
  },
  onFile(context) {
    const option = Number(context.options.maxLength);
    const max = Number.isFinite(option) && option > 0 ? Math.floor(option) : DEFAULT_MAX;
    const ignoreComments = context.options.ignoreComments === true;
    // Cheap first pass: UTF-16 length is never below the character count.
    const candidates: number[] = [];
    context.lines.forEach((line, index) => {
      if (line.length > max && width(line) > max) candidates.push(index);
    });
    if (candidates.length === 0 || FILE_OPT_OUT.test(context.source)) return;
    const { family } = context.file;
    const root = family !== 'text' ? context.root : undefined;
    const maybeInStrings = root && family !== 'text' ? linesMaybeInStrings(context.lines, family) : undefined;
    const lookups = maybeInStrings ? candidates.filter((index) => maybeInStrings.has(index)).length : 0;
    const walked = root && family !== 'text' && lookups > LOOKUPS_BEFORE_WALK ? linesOverflowingInStrings(root, family, max) : undefined;
    for (const index of candidates) {
      const line = context.lines[index];
      if (LINE_OPT_OUT.test(line) || (index > 0 && NEXT_LINE_OPT_OUT.test(context.lines[index - 1]))) continue;
      if (LEGAL.test(line) || (ignoreComments && COMMENT_ONLY.test(line))) continue;
      const withoutPragma = line.replace(TRAILING_PRAGMA, '');
      if (withoutPragma !== line && width(withoutPragma) <= max) continue;
      const limitIndex = indexAfter(line, max);
      if (endsInUnbreakableToken(line, limitIndex, max)) continue;
      if (maybeInStrings?.has(index) && (walked ? walked.has(index) : overflowsInsideMultilineString(root!, index, limitIndex))) continue;
      const length = width(line);
      context.report({
        range: { line: index + 1, column: limitIndex + 1, endLine: index + 1, endColumn: line.length + 1 },
        message: `Line is ${length} characters long (limit ${max}).`,
      });
    }
  },
});

