import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument } from '../../_shared/python.js';

/** Example, documentation and benchmark code prints on purpose: its output is the point. */
const DEMO_DIR = /(^|\/)(examples?|samples?|docs?|demos?|benchmarks?|bench|notebooks?)\//;
/** Build and test tooling configs run in a terminal, not in the application. */
const TOOL_CONFIG = /(^|\/)([\w.-]+\.config\.[cm]?[jt]s|gulpfile\.[cm]?[jt]s|Gruntfile\.[cm]?[jt]s|noxfile\.py|fabfile\.py|conftest\.py)$/;

/** Modules that parse a command line are CLIs even outside `scripts/`: printing is their interface. */
// `input()` prompts a person at a terminal: a module that asks questions talks to stdout on purpose.
const PY_CLI_MODULE = /^\s*(import (argparse|click|typer|fire|docopt)\b|from (argparse|click|typer|fire|docopt)\b)|\bsys\.argv\b|(^|[^.\w])input\(/m;
const TS_CLI_MODULE = /from ['"](commander|yargs|yargs\/yargs|meow|cac|sade|citty|@oclif\/core|clipanion|inquirer|@inquirer\/prompts)['"]|require\(['"](commander|yargs|meow|cac|sade|inquirer)['"]\)|\bprocess\.argv\b/;
/** Jupytext / VS Code cell markers: a notebook saved as a script. */
const NOTEBOOK_EXPORT = /^# (%%|In\[)/m;

const fileVerdict = new WeakMap<RuleContext, boolean>();

function isApplicationFile(context: RuleContext): boolean {
  let verdict = fileVerdict.get(context);
  if (verdict === undefined) {
    const { path } = context.file;
    verdict = !DEMO_DIR.test(path) && !TOOL_CONFIG.test(path)
      && !(context.file.family === 'py' ? PY_CLI_MODULE.test(context.source) || NOTEBOOK_EXPORT.test(context.source) : TS_CLI_MODULE.test(context.source));
    fileVerdict.set(context, verdict);
  }
  return verdict;
}

/** `if DEBUG:`, `if settings.DEBUG`, `if self.debuglevel > 0:`, `if verbose:`, `if (process.env.NODE_ENV !== 'production')`, `import.meta.env.DEV && ...`. */
const DEBUG_GUARD = /\b(\w*debug\w*|\w*verbos\w*|__DEV__|is_?dev(elopment|mode|env)?|development)\b|\benv\.DEV\b|NODE_ENV\s*!==?\s*['"]production['"]|['"]production['"]\s*!==?\s*process\.env\.NODE_ENV/i;

function isDebugCondition(condition: string): boolean {
  const bare = condition.trim().replace(/^\(+/, '').trim();
  // `if not DEBUG:` / `if (!debug)`: the output runs outside debugging.
  if (/^(not\s|!)/.test(bare)) return false;
  return DEBUG_GUARD.test(condition);
}

function within(node: SgNode, container: SgNode | null | undefined): boolean {
  if (!container) return false;
  const inner = node.range();
  const outer = container.range();
  return inner.start.index >= outer.start.index && inner.end.index <= outer.end.index;
}

/** Only the guarded branch counts: output in the `else` of `if DEBUG:` runs in production. */
function isInsideDebugGuard(node: SgNode): boolean {
  for (const ancestor of node.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'function_definition' || kind === 'function_declaration' || kind === 'method_definition' || kind === 'class_definition') return false;
    if (kind === 'if_statement' || kind === 'ternary_expression') {
      if (isDebugCondition(ancestor.field('condition')?.text() ?? '') && within(node, ancestor.field('consequence'))) return true;
    }
    if (kind === 'binary_expression' && ancestor.field('operator')?.text() === '&&') {
      const left = ancestor.field('left');
      if (left && isDebugCondition(left.text()) && within(node, ancestor.field('right'))) return true;
    }
  }
  return false;
}

function shortText(node: SgNode): string {
  const text = node.text().replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `print` bound to something else in this module: `from rich import print`, `def print(...)`, `print = logger.info`. */
function printIsShadowed(source: string): boolean {
  return /^\s*from\s+[\w.]+\s+import\s+[^#\n]*\bprint\b|^\s*(async\s+)?def\s+print\s*\(|^\s*print\s*=/m.test(source);
}

/**
 * `def ogrinfo(...)` printing a report line after line: when a third or more of a function's statements print,
 * writing to the console is its job (a `show`/`dump` helper), not a logging call left behind.
 */
function isOutputFunction(node: SgNode): boolean {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition');
  if (!fn) return false;
  const statements = fn.findAll({ rule: { kind: 'expression_statement' } });
  const prints = statements.filter((s) => /^print\s*\(/.test(s.text()));
  return prints.length >= 3 && prints.length * 3 >= statements.length;
}

function checkPythonCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (callee?.kind() !== 'identifier' || callee.text() !== 'print') return;
  if (!isApplicationFile(context) || printIsShadowed(context.source)) return;
  // `print(..., file=handle)` writes to a chosen stream (a file, stderr): deliberate output, not a leftover.
  if (keywordArgument(node, 'file')) return;
  if (isInsideDebugGuard(node) || isOutputFunction(node)) return;
  context.report({
    node,
    message: `\`${shortText(node)}\` prints to stdout in application code: no level, no timestamp, not filterable; use the module's logger.`,
  });
}

/** Debug output. `console.error`/`console.warn` are left alone: in the browser and small services they are the error channel. */
const DEBUG_CONSOLE_METHODS = new Set(['log', 'debug', 'info', 'trace', 'dir', 'table']);

function checkTsCall(node: SgNode, context: RuleContext): void {
  const callee = node.field('function');
  if (callee?.kind() !== 'member_expression') return;
  const object = callee.field('object')?.text();
  const method = callee.field('property')?.text() ?? '';
  if ((object !== 'console' && object !== 'window.console' && object !== 'globalThis.console') || !DEBUG_CONSOLE_METHODS.has(method)) return;
  if (!isApplicationFile(context) || isInsideDebugGuard(node)) return;
  context.report({
    node,
    message: `\`${shortText(node)}\` left in application code: console output cannot be filtered, routed or turned off in production; use the app's logger or remove it.`,
  });
}

export default defineRule({
  meta: {
    id: 'code-quality/print-statement',
    title: 'print / console.log in application code',
    area: 'code-quality',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: '`print()` or `console.log/debug/info` left in application code instead of a logger call.',
    why:
      'Printed output has no level, no timestamp and no module name; it cannot be filtered or turned off, and under a ' +
      'service manager or in a container it often ends up nowhere. Debug prints left in a request path also leak data ' +
      'into logs. Seed 002 converted a cog\'s print calls to logger calls and counted 259 prints; seed 001 counted console ' +
      'statements in the frontend. Not reported: tests, CLI scripts (scripts/, bin/, `__main__` modules, shebang files) and ' +
      'modules that parse a command line or prompt at a terminal (argparse, click, typer, commander, yargs, `sys.argv`/`process.argv`, `input()`), examples, ' +
      'docs, benchmarks and notebook exports, build/test tool configs; `print(..., file=...)` (an explicit stream); a ' +
      '`print` that is not the builtin (`from rich import print`); output inside a debug/verbose/development guard; ' +
      'functions where prints are a third or more of the statements (3 or more: a report or dump helper whose job is ' +
      'console output); ' +
      '`console.error` and `console.warn` (often the only error channel of small apps and browsers).',
    recommendation:
      'Python: `logger = logging.getLogger(__name__)` and `logger.info(...)`/`logger.debug(...)`. TS/JS: use the ' +
      'application logger (pino, winston, a small wrapper) or delete the debugging line.',
    examples: [
      {
        language: 'py',
        bad: 'async def refresh(self):\n    print(f"Processing synergy data...")\n',
        good: 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\nasync def refresh(self):\n    logger.info("Processing synergy data...")\n',
      },
      {
        language: 'ts',
        bad: "export function onMessage(event: MessageEvent) {\n  console.log('ws message', event.data);\n}\n",
        good: "import { logger } from './logger';\n\nexport function onMessage(event: MessageEvent) {\n  logger.debug({ data: event.data }, 'ws message');\n}\n",
      },
    ],
    references: [
      'seed 002 (print-to-logger conversion, 259 print statements), seed 001 (console statements)',
      'Ruff T201 print (flake8-print)',
      'ESLint no-console (allow: warn, error)',
    ],
    appliesTo: { tests: false, scripts: false },
  },
  // Files that never say print or console have nothing to report.
  fileFilter: /\bprint\b|\bconsole\b/,
  visitors: {
    py: { call: checkPythonCall },
    ts: { call_expression: checkTsCall },
  },
});
