import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import {
  firstLineRange,
  innermostContainers,
  pyEnclosingClass,
  spanOf,
  TS_FUNCTION_KINDS,
  tsCallbackOf,
  tsFunctionName,
  type Span,
} from '../../_shared/code-units.js';

const DEFAULT_MAX_LINES = 80;
const DEFAULT_MAX_COMPLEXITY = 15;

/** Decision points (each adds one path): radon/ESLint-style cyclomatic complexity, boolean operators included. */
const PY_DECISION_KINDS = ['if_statement', 'elif_clause', 'for_statement', 'while_statement', 'except_clause', 'boolean_operator', 'conditional_expression', 'if_clause'];
const TS_DECISION_KINDS = ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'switch_case', 'catch_clause', 'ternary_expression'];
const TS_LOGICAL_OPERATOR = /^(&&|\|\||\?\?)=?$/;

/** What the visitors collected in one file; the whole-file hook judges it. */
interface FileUnits {
  functions: Span[];
  /** Start offsets of decision points (positions are all a decision needs). */
  decisions: number[];
}
const unitsByFile = new WeakMap<RuleContext, FileUnits>();

function unitsOf(context: RuleContext): FileUnits {
  let units = unitsByFile.get(context);
  if (!units) unitsByFile.set(context, (units = { functions: [], decisions: [] }));
  return units;
}

const addFunction = (node: SgNode, context: RuleContext) => void unitsOf(context).functions.push(spanOf(node));
const addDecision = (node: SgNode, context: RuleContext) => void unitsOf(context).decisions.push(node.range().start.index);

const pyVisitors: Record<string, (node: SgNode, context: RuleContext) => void> = { function_definition: addFunction };
for (const kind of PY_DECISION_KINDS) pyVisitors[kind] = addDecision;
// `case _:` is the default branch, like `else`.
pyVisitors.case_clause = (node, context) => {
  if (node.child(1)?.text() !== '_') addDecision(node, context);
};
const tsVisitors: Record<string, (node: SgNode, context: RuleContext) => void> = {};
for (const kind of TS_FUNCTION_KINDS) tsVisitors[kind] = addFunction;
for (const kind of TS_DECISION_KINDS) tsVisitors[kind] = addDecision;
tsVisitors.binary_expression = (node, context) => {
  if (TS_LOGICAL_OPERATOR.test(node.field('operator')?.text() ?? '')) addDecision(node, context);
};
tsVisitors.augmented_assignment_expression = tsVisitors.binary_expression;

function isCommentOrBlank(line: string, family: 'py' | 'ts'): boolean {
  const text = line.trim();
  if (!text) return true;
  return family === 'py' ? text.startsWith('#') : /^(\/\/|\/\*|\*)/.test(text);
}

/** Lines of a Python function's docstring (documentation, not logic). */
function pyDocstringLines(fn: SgNode): [number, number] | undefined {
  const first = fn.field('body')?.children().find((c) => c.isNamed() && c.kind() !== 'comment');
  if (first?.kind() !== 'expression_statement' || first.child(0)?.kind() !== 'string') return undefined;
  const { start, end } = first.range();
  return [start.line, end.line];
}

function describe(fn: SgNode, family: 'py' | 'ts'): { label: string; nameNode?: SgNode } {
  if (family === 'py') {
    const nameNode = fn.field('name') ?? undefined;
    return { label: `${pyEnclosingClass(fn) ? 'Method' : 'Function'} \`${nameNode?.text() ?? '?'}\``, nameNode };
  }
  const { name, nameNode } = tsFunctionName(fn);
  if (name) return { label: `${fn.kind() === 'method_definition' ? 'Method' : 'Function'} \`${name}\``, nameNode };
  const callback = tsCallbackOf(fn);
  if (callback) return { label: `Anonymous ${callback}` };
  const returnedBy = returningFunctionName(fn);
  return { label: returnedBy ? `Function returned by \`${returnedBy}\`` : 'Anonymous function' };
}

/** `return (issue) => { ... }`: the factory whose product this function is. */
function returningFunctionName(fn: SgNode): string | undefined {
  if (fn.parent()?.kind() !== 'return_statement') return undefined;
  const factory = fn.ancestors().find((a) => (TS_FUNCTION_KINDS as readonly string[]).includes(String(a.kind())));
  return factory ? tsFunctionName(factory).name : undefined;
}

/** Schema migrations are append-only history: nobody refactors an applied migration. */
const MIGRATION_PATH = /(^|\/)(migrations|alembic\/versions)\//;

/**
 * A function wrapping a whole compiled module (`(function () { ... })()`, UMD/IIFE bundles) is a
 * module in disguise, not a function anyone wrote as one: large-file judges it.
 */
function isModuleWrapper(fn: SgNode): boolean {
  let holder = fn.parent();
  while (holder?.kind() === 'parenthesized_expression') holder = holder.parent();
  if (holder?.kind() !== 'call_expression') return false;
  const statement = holder.parent();
  return statement?.kind() === 'expression_statement' && statement.parent()?.kind() === 'program';
}

function check(context: RuleContext): void {
  const root = context.root;
  const family = context.file.family;
  if (!root || (family !== 'py' && family !== 'ts') || MIGRATION_PATH.test(context.file.path)) return;
  const maxLines = Number(context.options.maxLines ?? DEFAULT_MAX_LINES);
  const maxComplexity = Number(context.options.maxComplexity ?? DEFAULT_MAX_COMPLEXITY);
  const units = unitsByFile.get(context);
  if (!units?.functions.length) return;
  const functions = units.functions.sort((a, b) => a.start - b.start || b.end - a.end);
  const decisions = units.decisions.sort((a, b) => a - b).map((start) => ({ start, end: start + 1 }) as Span);

  // Complexity: each decision point belongs to its innermost function only.
  const complexity = new Map<Span, number>();
  innermostContainers(functions, decisions).forEach((owner) => {
    if (owner) complexity.set(owner, (complexity.get(owner) ?? 0) + 1);
  });

  // Length: a line belongs to the innermost function whose body it is in; a nested function's
  // first line stays with its parent too (it holds the parent's call or assignment).
  const owner: (Span | undefined)[] = new Array(context.lines.length);
  for (const fn of functions) {
    for (let line = fn.startLine + 1; line <= fn.endLine; line++) owner[line] = fn;
  }
  const codeLines = (fn: Span): number => {
    const docstring = family === 'py' ? pyDocstringLines(fn.node) : undefined;
    let lines = isCommentOrBlank(context.lines[fn.startLine] ?? '', family) ? 0 : 1;
    for (let line = fn.startLine + 1; line <= fn.endLine; line++) {
      if (owner[line] !== fn || isCommentOrBlank(context.lines[line] ?? '', family)) continue;
      if (docstring && line >= docstring[0] && line <= docstring[1]) continue;
      lines++;
    }
    return lines;
  };
  let reported = 0;
  for (const fn of functions) {
    const paths = (complexity.get(fn) ?? 0) + 1;
    // Counting code lines only matters when the raw span could exceed the limit or a finding needs it.
    if (paths <= maxComplexity && fn.endLine - fn.startLine + 1 <= maxLines) continue;
    const lines = codeLines(fn);
    const long = lines > maxLines;
    const complex = paths > maxComplexity;
    if (!long && !complex) continue;
    if (family === 'ts' && isModuleWrapper(fn.node)) continue;
    const { label, nameNode } = describe(fn.node, family);
    const size = `is ${lines} code lines long (max ${maxLines}`;
    const branches = `has cyclomatic complexity ${paths} (max ${maxComplexity}`;
    const what = long && complex ? `${size}) and ${branches})` : long ? `${size}; complexity ${paths})` : `${branches}; ${lines} code lines)`;
    context.report({
      ...(nameNode ? { node: nameNode } : { range: firstLineRange(fn.node, context.lines) }),
      message: `${label} ${what}: split it into smaller functions.`,
    });
    reported++;
  }
  context.measure('large-function-count', reported);
}

export default defineRule({
  meta: {
    id: 'code-quality/large-function',
    title: 'Large or complex function',
    area: 'code-quality',
    severity: 'medium',
    type: 'enhancement',
    effort: 'medium',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Functions and methods longer than 80 code lines or with a cyclomatic complexity above 15.',
    why:
      'A long or branchy function does several things at once: it cannot be understood without reading all of it, every ' +
      'branch needs its own test (complexity 20 means at least 20 paths to cover) and changes to one path break another. ' +
      'Seed 001 names its large functions in 600-line services as the first refactoring target. Length counts code lines ' +
      '(blank lines, comments and the docstring left out). Complexity is 1 plus one per decision: `if`/`elif`, loops, ' +
      '`except`/`catch`, `case`, conditional expressions, comprehension `if`s and each `and`/`or` (`&&`/`||`/`??` in ' +
      'TypeScript). A nested function or callback is measured on its own: its lines and branches are not charged to the ' +
      'function around it. One finding per function, at its name. Not reported: test files, schema migrations (applied history, never refactored), and a function that wraps a ' +
      'whole compiled module (`(function () { ... })()`), which large-file judges as the file it really is. ' +
      'The `large-function-count` metric counts the reported functions per file, so the report can show where they concentrate.',
    recommendation:
      'Extract the steps into named functions (validation, the loop body, each `case`), replace long `if`/`elif` chains ' +
      'on a value with a lookup table or polymorphism, and return early instead of nesting. Thresholds are options ' +
      '(`maxLines`, `maxComplexity`).',
    examples: [
      {
        language: 'py',
        bad:
          'def route(event, user):\n' +
          Array.from({ length: 16 }, (_, i) => `    if event.kind == "k${i}" and user.active:\n        return handle_${i}(event)\n`).join('') +
          '    return None\n',
        good: 'HANDLERS = {"k0": handle_0, "k1": handle_1}\n\n\ndef route(event, user):\n    if not user.active:\n        return None\n    handler = HANDLERS.get(event.kind)\n    return handler(event) if handler else None\n',
      },
      {
        language: 'ts',
        bad:
          'export function route(event: Event, user: User) {\n' +
          Array.from({ length: 16 }, (_, i) => `  if (event.kind === "k${i}" && user.active) return handle${i}(event);\n`).join('') +
          '  return null;\n}\n',
        good: 'const handlers: Record<string, Handler> = { k0: handle0, k1: handle1 };\n\nexport function route(event: Event, user: User) {\n  if (!user.active) return null;\n  return handlers[event.kind]?.(event) ?? null;\n}\n',
      },
    ],
    references: [
      'seed 001 (large services and functions)',
      'Ruff/mccabe C901 complex-structure',
      'pylint too-many-statements (R0915), too-many-branches (R0912)',
      'ESLint complexity, max-lines-per-function',
      'SonarQube S3776 (cognitive complexity), S138 (functions should not have too many lines)',
    ],
    metrics: [
      {
        id: 'large-function-count',
        label: 'Functions over the size or complexity limit',
        kind: 'count',
        target: 0,
        note: 'The reported functions, counted per file: where the refactoring work concentrates.',
      },
    ],
    options: {
      maxLines: { default: DEFAULT_MAX_LINES, description: 'Code lines (blank, comment and docstring lines excluded) a function may have.' },
      maxComplexity: { default: DEFAULT_MAX_COMPLEXITY, description: 'Highest cyclomatic complexity a function may have.' },
    },
  },
  visitors: { py: pyVisitors, ts: tsVisitors },
  onFile: check,
});
