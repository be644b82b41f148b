import { defineRule, type RuleContext } from '../../../core/rule.js';
import { textKindOf } from '../../../discover/language.js';
import { commentAt } from '../../_shared/position-lookup.js';

/**
 * A marker at the start of a comment (after the comment syntax): upper-case in any form, other
 * cases only in the conventional `todo:` / `todo(name)` shape, so prose like "todo list" is not one.
 * `XXX-XXX-XXXX` placeholders and `TODO_LIST`-style identifiers are excluded by the lookahead.
 */
const LEADING_UPPER = /^(TODO|FIXME|HACK|XXX)(?![\w\-./$])/;
const LEADING_ANY_CASE = /^(todo|fixme|hack|xxx)(?=\s*[:(])/i;
/** Inside a comment's text only the unmistakable shape counts: upper-case followed by `:` or `(`. */
const INNER = /(?<![\w\-./$'"`])(TODO|FIXME|HACK|XXX)(?=\s*[:(])/g;
/** Comment syntax in front of a comment line's text (`#`, `//`, `/*`, ` * `, `<!--`, `--`, `;`). */
const COMMENT_PREFIX = /^\s*(?:#+|\/\/+|\/\*+|\*+|<!--|--|;+|\{\/\*+|\{#)?[\s!*:-]*/;
/** Upper-case markers anywhere, other cases only right after comment syntax. */
const QUICK = /TODO|FIXME|HACK|XXX|(?:#|\/\/|\*|<!--|--|;)[ \t]*(?:[Tt]odo|[Ff]ix[Mm]e|[Hh]ack|[Xx]xx)[ \t]*[:(]/;
const MAX_QUOTE = 80;

interface Marker {
  /** 0-based column of the marker in the line. */
  column: number;
  marker: string;
  /** The marker and what follows it on that line, without closing comment syntax. */
  text: string;
}

/** Markers in one line of comment text; `line` starts at the comment's first character. */
function markersInCommentLine(line: string): Marker[] {
  const prefix = COMMENT_PREFIX.exec(line)![0].length;
  const body = line.slice(prefix);
  const found = new Map<number, string>();
  const leading = LEADING_UPPER.exec(body) ?? LEADING_ANY_CASE.exec(body);
  if (leading) found.set(0, leading[0]);
  for (const match of body.matchAll(INNER)) if (!found.has(match.index)) found.set(match.index, match[0]);
  return [...found].map(([index, marker]) => ({
    column: prefix + index,
    marker: marker.toUpperCase(),
    text: body.slice(index).replace(/\s*(\*\/|-->|\*\/\s*\}|#\})\s*$/, '').trim(),
  }));
}

function quote(text: string): string {
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1).trimEnd()}…` : text;
}

function reportMarker(context: RuleContext, lineIndex: number, offset: number, found: Marker): void {
  const column = offset + found.column + 1;
  context.report({
    range: { line: lineIndex + 1, column, endLine: lineIndex + 1, endColumn: column + found.text.length },
    message: `${found.marker} comment left in the code: "${quote(found.text)}".`,
  });
}

/** Where a marker may be, before asking the tree whether that place is a comment. */
const CANDIDATE = /TODO|FIXME|HACK|XXX/gi;

/**
 * Python and JS/TS: the parser decides what is a comment, so strings never match. Only the
 * places where a marker word appears are looked up in the tree, not every comment.
 */
function scanParsed(context: RuleContext): void {
  const root = context.root!;
  const seen = new Set<number>();
  context.lines.forEach((line, index) => {
    for (const match of line.matchAll(CANDIDATE)) {
      const comment = commentAt(root, index, match.index);
      if (!comment) continue;
      const { start } = comment.range();
      if (seen.has(start.index)) continue;
      seen.add(start.index);
      comment
        .text()
        .split(/\r\n|\n|\r/)
        .forEach((commentLine, i) => {
          for (const found of markersInCommentLine(commentLine)) reportMarker(context, start.line + i, i === 0 ? start.column : 0, found);
        });
    }
  });
}

/** How each kind of text file writes comments; JSON has none. */
const TEXT_COMMENTS: Record<string, { line: string[]; block?: [string, string] }> = {
  yaml: { line: ['#'] },
  toml: { line: ['#'] },
  shell: { line: ['#'] },
  dockerfile: { line: ['#'] },
  dotenv: { line: ['#'] },
  make: { line: ['#'] },
  graphql: { line: ['#'] },
  'python-stub': { line: ['#'] },
  text: { line: ['#'] },
  ini: { line: ['#', ';'] },
  sql: { line: ['--'], block: ['/*', '*/'] },
  prisma: { line: ['//'] },
  css: { line: [], block: ['/*', '*/'] },
  // `{# ... #}` is a Django/Jinja template comment.
  html: { line: ['{#'], block: ['<!--', '-->'] },
  vue: { line: ['//'], block: ['<!--', '-->'] },
  svelte: { line: ['//'], block: ['<!--', '-->'] },
};

/**
 * Where a comment starts on a line of a text file: an opener outside quotes, at the line start or
 * after whitespace (YAML and shell only treat ` #` as a comment; `http://` is not one).
 */
function commentStart(line: string, openers: readonly string[]): number {
  let quoteChar = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoteChar) {
      if (c === '\\') i++;
      else if (c === quoteChar) quoteChar = '';
      continue;
    }
    if (c === '"' || c === "'") {
      quoteChar = c;
      continue;
    }
    if ((i === 0 || /\s/.test(line[i - 1])) && openers.some((opener) => line.startsWith(opener, i))) return i;
  }
  return -1;
}

function scanText(context: RuleContext): void {
  const syntax = TEXT_COMMENTS[textKindOf(context.file.path)];
  if (!syntax) return;
  const openers = syntax.block ? [...syntax.line, syntax.block[0]] : syntax.line;
  let inBlock = false;
  context.lines.forEach((line, index) => {
    let start: number;
    if (inBlock) start = 0;
    else {
      if (!QUICK.test(line) && !syntax.block) return;
      start = commentStart(line, openers);
      if (start < 0) return;
    }
    const rest = line.slice(start);
    if (syntax.block) {
      const opensBlock = inBlock || rest.startsWith(syntax.block[0]);
      inBlock = opensBlock && !rest.slice(inBlock ? 0 : syntax.block[0].length).includes(syntax.block[1]);
    }
    if (!QUICK.test(rest)) return;
    for (const found of markersInCommentLine(rest)) reportMarker(context, index, start, found);
  });
}

export default defineRule({
  meta: {
    id: 'code-quality/todo-comment',
    title: 'TODO / FIXME marker',
    area: 'code-quality',
    severity: 'low',
    type: 'enhancement',
    effort: 'small',
    confidence: 'high',
    languages: ['any'],
    since: '0.1.0',
    description: 'TODO, FIXME, HACK and XXX markers in comments: known, unfinished work left in the code.',
    why:
      'Each marker is a piece of debt someone knew about and deferred; counting them shows how much is parked in the code ' +
      'and where, and lets a team track the number down instead of letting it grow. One finding is reported per marker, ' +
      'quoting it, so the count is exact and each one can be moved to the issue tracker or done. Only comments are read: ' +
      'in Python and JavaScript/TypeScript the parser decides what is a comment, so `"XXX"` placeholders, regexes, ' +
      '`todo_list` identifiers and strings that mention TODO are never reported; in YAML, TOML, shell, Dockerfiles, .env, ' +
      'ini, SQL, CSS and HTML files the comment syntax of that format is used (Markdown is never read). A marker counts when ' +
      'it opens the comment (`# TODO`, `// FIXME:`, `# XXX:`, or `# todo:` / `# todo(alice)` in lower case), or appears later ' +
      'in the comment in the `TODO:` / `TODO(name)` shape; prose such as "the todo list" or a phone mask `XXX-XXX-XXXX` is ' +
      'not a marker. Tests and scripts are read too: a TODO in a test is debt as well.',
    recommendation:
      'Do the work, or move it to the issue tracker and reference the ticket (`# TODO(#123): ...`) so it is planned; delete ' +
      'markers that are no longer true.',
    examples: [
      {
        language: 'py',
        bad: 'def refund(order):\n    # TODO: handle partial refunds\n    return order.total\n',
        good: 'def refund(order):\n    # Partial refunds are tracked in #412.\n    return order.total\n',
      },
      {
        language: 'ts',
        bad: 'export function retry(fn: () => Promise<void>) {\n  // FIXME: no backoff between attempts\n  return fn();\n}\n',
        good: 'export function retry(fn: () => Promise<void>) {\n  const placeholder = "XXX-XXX";\n  return fn();\n}\n',
      },
      {
        language: 'text',
        bad: 'services:\n  api:\n    image: bot:latest  # TODO: pin the digest\n',
        good: 'services:\n  api:\n    image: bot:1.4.2\n    command: ["echo", "# TODO in a string"]\n',
      },
    ],
    references: ['pylint W0511 (fixme)', 'ESLint no-warning-comments', 'SonarQube S1135 (TODO tags) and S1134 (FIXME tags)', 'RULES.md metrics (TODO counts)'],
    appliesTo: { tests: true, scripts: true },
  },
  fileFilter: QUICK,
  onFile(context) {
    if (context.root && context.file.family !== 'text') scanParsed(context);
    else scanText(context);
  },
});
