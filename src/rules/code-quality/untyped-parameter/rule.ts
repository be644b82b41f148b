import { defineRule, type RuleContext } from '../../../core/rule.js';
import { innermostContainers, pyDecoratorsAbove, pyDefHeader, spanOf, type Span } from '../../_shared/code-units.js';

/** Share of typed parameters from which a file counts as typed: its untyped functions are the inconsistency. */
const TYPED_FILE_SHARE = 0.5;
/** Project-wide typed share (percent) from which a mostly untyped file is worth a finding. */
const TYPED_PROJECT_SHARE = 25;

/** Schema migrations are generated, append-only history (`def forwards(apps, schema_editor)`). */
const MIGRATION_PATH = /(^|\/)(migrations|alembic\/versions)\//;

/** Dunders whose parameters are the class's own API; the others implement a protocol with fixed types. */
const API_DUNDERS = new Set(['__init__', '__new__', '__call__']);

interface Parameter {
  name: string;
  typed: boolean;
}

interface FunctionUnit {
  name: string;
  /** Where the name is (0-based). */
  line: number;
  column: number;
  parameters: Parameter[];
  /** Public top-level function or method of a public class: what the per-function findings cover. */
  reportable: boolean;
}

function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__');
}

/** Whether a parameter's text has an annotation: a top-level `:` before any `=` (`key=lambda x: x` has none). */
function annotated(parameter: string): boolean {
  let depth = 0;
  for (const ch of parameter) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth === 0 && ch === '=') return false;
    else if (depth === 0 && ch === ':') return true;
  }
  return false;
}

/**
 * The parameters that count: `self`/`cls` (first parameter of a method) and `*args`/`**kwargs`
 * (forwarded as they are, typed or not) are left out, as are the `*` and `/` markers.
 */
function countedParameters(texts: string[], isMethod: boolean): Parameter[] {
  const parameters: Parameter[] = [];
  texts.forEach((text, position) => {
    if (isMethod && position === 0) return;
    if (text.startsWith('*') || text === '/') return;
    const name = /^\w+/.exec(text)?.[0];
    if (name) parameters.push({ name, typed: annotated(text) });
  });
  return parameters;
}

interface FileSpans {
  functions: Span[];
  classes: Span[];
}
const spansByFile = new WeakMap<RuleContext, FileSpans>();

function spansOf(context: RuleContext): FileSpans {
  let spans = spansByFile.get(context);
  if (!spans) spansByFile.set(context, (spans = { functions: [], classes: [] }));
  return spans;
}

const CLASS_NAME = /^\s*class\s+(\w+)/;

function check(context: RuleContext): void {
  const spans = spansByFile.get(context);
  if (!spans?.functions.length || MIGRATION_PATH.test(context.file.path)) return;
  // Functions and classes in document order; each one's innermost container says what it is.
  const all = [...spans.functions, ...spans.classes].sort((a, b) => a.start - b.start || b.end - a.end);
  const containers = innermostContainers(all, all);
  const containerOf = new Map<Span, Span | undefined>(all.map((span, i) => [span, containers[i]]));
  const classes = new Set(spans.classes);
  const insideFunction = (span: Span): boolean => {
    for (let up = containerOf.get(span); up; up = containerOf.get(up)) if (!classes.has(up)) return true;
    return false;
  };

  const units: FunctionUnit[] = [];
  for (const span of all) {
    if (classes.has(span)) continue;
    const header = pyDefHeader(context.lines, span.startLine);
    if (!header) continue;
    const decorators = pyDecoratorsAbove(context.lines, span.startLine);
    if (decorators.some((d) => d === 'overload' || d.endsWith('.overload'))) continue;
    const owner = containerOf.get(span);
    const ownerClass = owner && classes.has(owner) ? owner : undefined;
    const className = ownerClass ? CLASS_NAME.exec(context.lines[ownerClass.startLine] ?? '')?.[1] ?? '' : '';
    const { name } = header;
    if (isDunder(name) && !API_DUNDERS.has(name)) continue;
    // A private class's constructor is an implementation detail of its module.
    if (ownerClass && isDunder(name) && className.startsWith('_')) continue;
    const isMethod = !!ownerClass && !decorators.includes('staticmethod');
    const nested = insideFunction(span);
    units.push({
      name: className ? `${className}.${name}` : name,
      line: header.line,
      column: header.column,
      parameters: countedParameters(header.parameters, isMethod),
      reportable: !nested && (!name.startsWith('_') || isDunder(name)) && !className.startsWith('_'),
    });
  }
  const parameters = units.flatMap((u) => u.parameters);
  const typed = parameters.filter((p) => p.typed).length;
  if (parameters.length === 0) return;
  context.measure('type-hint-coverage', typed, parameters.length);
  if (typed === parameters.length) return;

  const at = (unit: FunctionUnit) => ({
    line: unit.line + 1,
    column: unit.column + 1,
    endLine: unit.line + 1,
    endColumn: unit.column + unit.name.split('.').pop()!.length + 1,
  });
  const untypedUnits = units.filter((u) => u.parameters.some((p) => !p.typed));
  const share = typed / parameters.length;
  if (share < TYPED_FILE_SHARE) {
    // Mostly untyped: adding hints is a job for the whole file, so one finding says so.
    const untyped = parameters.length - typed;
    context.report({
      range: at(untypedUnits[0]),
      // A codebase that uses no type hints made that choice once, for all files: the metric says it, not a finding per file.
      onlyIfProject: { metric: 'type-hint-coverage', atLeast: TYPED_PROJECT_SHARE },
      message:
        `${typed === 0 ? 'No type hints in this file' : `Type hints on only ${typed} of ${parameters.length} parameters in this file`}: ` +
        `${untyped} parameter${untyped === 1 ? '' : 's'} in ${untypedUnits.length} function${untypedUnits.length === 1 ? '' : 's'} ` +
        `(${quoteList(untypedUnits.map((u) => u.name), 3)}) ${untyped === 1 ? 'has' : 'have'} none.`,
    });
    return;
  }
  const percent = Math.round(share * 100);
  for (const unit of untypedUnits) {
    if (!unit.reportable) continue;
    const missing = unit.parameters.filter((p) => !p.typed).map((p) => p.name);
    context.report({
      range: at(unit),
      message:
        `\`${unit.name}\`: parameter${missing.length === 1 ? '' : 's'} ${quoteList(missing)} ${missing.length === 1 ? 'has' : 'have'} no type hint, ` +
        `while ${percent}% of this file's parameters are typed.`,
    });
  }
}

function quoteList(names: string[], max = 4): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

export default defineRule({
  meta: {
    id: 'code-quality/untyped-parameter',
    title: 'Parameters without type hints',
    area: 'code-quality',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['py'],
    since: '0.1.0',
    description: 'Public functions whose parameters lack type hints in otherwise typed files; wholly untyped files once each.',
    why:
      'Without hints, type checkers and editors cannot check calls to a function, and readers must guess what `data` or ' +
      '`bot` is (seed 001: "8 service files missing type hints on function parameters"). The rule reports what a reviewer ' +
      'would: in a file that is mostly typed (at least half its parameters), each public function that still has untyped ' +
      'parameters, naming them (the inconsistency is the finding); in a mostly untyped file, ONE finding for the whole file ' +
      'with the counts, since hinting it is one job, not dozens, and only when at least 25% of the project\'s parameters are ' +
      'typed: a codebase that uses no hints at all (Django) made that choice once, and the metric says so instead of one ' +
      'finding per file. The `type-hint-coverage` metric gives the full picture ' +
      '(typed parameters / all parameters, every function including private and nested ones). Left out of both: `self`/`cls`, ' +
      '`*args`/`**kwargs` (usually forwarded as they are), lambdas, protocol dunders such as `__eq__` or `__exit__` (their ' +
      'types are fixed by the protocol), the constructor of a private `_Class`, `@overload` stubs, schema migrations and test ' +
      'files. Per-function findings skip private `_helpers` and nested functions (they count in the metric). Return ' +
      'annotations are a separate concern and are not judged here.',
    recommendation:
      'Annotate the parameters of public functions (`def fetch_prices(symbol: str, interval: Interval) -> list[Candle]`), ' +
      'starting with service and API boundaries, and let a type checker (mypy, pyright) enforce it in CI, for example with ' +
      'mypy `--disallow-untyped-defs` per package or Ruff ANN001.',
    examples: [
      {
        language: 'py',
        bad: 'def fetch_prices(symbol: str, interval: str) -> list:\n    return client.get(symbol, interval)\n\n\ndef place_order(symbol, quantity, price=None):\n    return client.post(symbol, quantity, price)\n',
        good: 'def fetch_prices(symbol: str, interval: str) -> list:\n    return client.get(symbol, interval)\n\n\ndef place_order(symbol: str, quantity: int, price: float | None = None) -> dict:\n    return client.post(symbol, quantity, price)\n',
      },
    ],
    references: [
      'seed 001 (untyped parameters in service files; Python typing 7/10)',
      'seed 000 (type hints completeness)',
      'Ruff ANN001 missing-type-function-argument (flake8-annotations)',
      'mypy --disallow-untyped-defs / --disallow-incomplete-defs',
    ],
    metrics: [
      {
        id: 'type-hint-coverage',
        label: 'Parameters with type hints',
        kind: 'coverage',
        target: 80,
        note: 'Typed parameters among all (self/cls and *args/**kwargs left out): how much of the code a type checker can verify.',
      },
    ],
  },
  visitors: {
    py: {
      function_definition(node, context) {
        spansOf(context).functions.push(spanOf(node));
      },
      class_definition(node, context) {
        spansOf(context).classes.push(spanOf(node));
      },
    },
  },
  onFile: check,
});
