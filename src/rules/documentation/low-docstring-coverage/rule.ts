import type { SgNode } from '@ast-grep/napi';
import { defineRule, type ReportRange, type RuleContext } from '../../../core/rule.js';
import { innermostContainers, pyDecoratorsAbove, spanOf, type Span } from '../../_shared/code-units.js';

const DEFAULT_MIN_COVERAGE = 50;
const DEFAULT_MIN_ITEMS = 5;

/** Schema migrations are generated history; `.d.ts` files describe code documented elsewhere. */
const SKIPPED_PATH = /(^|\/)(migrations|alembic\/versions)\/|\.d\.[cm]?ts$/;

/** A public function, class or method, and whether it is documented. */
interface Item {
  label: string;
  /** Where its name is: a node (TypeScript) or a range read from the lines (Python). */
  where: SgNode | ReportRange;
  documented: boolean;
}

// ---- Python: module-level functions and classes, and the methods of public classes. Functions and
// classes come from the visitors as spans; names, decorators and bases are read from the lines, and
// the tree is only asked whether a candidate's body starts with a string.

interface PySpans {
  functions: Span[];
  classes: Span[];
}
const pySpansByFile = new WeakMap<RuleContext, PySpans>();

function pySpansOf(context: RuleContext): PySpans {
  let spans = pySpansByFile.get(context);
  if (!spans) pySpansByFile.set(context, (spans = { functions: [], classes: [] }));
  return spans;
}

const PY_DEF_NAME = /^(\s*(?:async\s+)?def\s+)(\w+)/;
const PY_CLASS_HEADER = /^(\s*class\s+)(\w+)\s*(?:\(([^)]*)\)?)?/;

function hasDocstring(definition: SgNode): boolean {
  let first = definition.field('body')?.child(0) ?? null;
  while (first && (!first.isNamed() || first.kind() === 'comment')) first = first.next();
  return first?.kind() === 'expression_statement' && first.child(0)?.kind() === 'string';
}

interface PyClass {
  name: string;
  bases: string[];
  methods: Set<string>;
  /** Dotted label when the class is public API (module level, or inside a public class). */
  label?: string;
}

function pyItems(context: RuleContext, spans: PySpans): Item[] {
  const all = [...spans.functions, ...spans.classes].sort((a, b) => a.start - b.start || b.end - a.end);
  const containers = innermostContainers(all, all);
  const containerOf = new Map<Span, Span | undefined>(all.map((span, i) => [span, containers[i]]));
  const classes = new Map<Span, PyClass>();
  for (const span of spans.classes) {
    const header = PY_CLASS_HEADER.exec(context.lines[span.startLine] ?? '');
    const bases = (header?.[3] ?? '').split(',').map((b) => b.trim().split('.').pop() ?? '').filter(Boolean);
    classes.set(span, { name: header?.[2] ?? '', bases, methods: new Set() });
  }
  const byName = new Map<string, PyClass>([...classes.values()].map((c) => [c.name, c]));
  for (const span of spans.functions) {
    const owner = containerOf.get(span);
    const name = PY_DEF_NAME.exec(context.lines[span.startLine] ?? '')?.[2];
    if (owner && name) classes.get(owner)?.methods.add(name);
  }
  /** Whether a base class defined in the same file already has this method (its docstring applies: `inspect.getdoc`). */
  const overridesLocalBase = (owner: PyClass, name: string, seen = new Set<PyClass>()): boolean =>
    owner.bases.some((base) => {
      const baseClass = byName.get(base);
      if (!baseClass || seen.has(baseClass)) return false;
      seen.add(baseClass);
      return baseClass.methods.has(name) || overridesLocalBase(baseClass, name, seen);
    });

  const items: Item[] = [];
  for (const span of all) {
    const owner = containerOf.get(span);
    const ownerClass = owner ? classes.get(owner) : undefined;
    // Module level, or directly in a public class; anything inside a function is an implementation detail.
    if (owner && !ownerClass?.label) continue;
    const ownClass = classes.get(span);
    const header = ownClass ? PY_CLASS_HEADER.exec(context.lines[span.startLine] ?? '') : PY_DEF_NAME.exec(context.lines[span.startLine] ?? '');
    const name = header?.[2];
    if (!header || !name || name.startsWith('_')) continue; // private, and dunders (`__init__`, `__eq__`)
    // Overload stubs are documented on the implementation; a setter shares its property's docstring;
    // an override shares the overridden method's.
    const decorators = pyDecoratorsAbove(context.lines, span.startLine);
    if (decorators.some((d) => /(^|\.)(overload|setter|deleter|override)$/.test(d))) continue;
    if (ownerClass && !ownClass && overridesLocalBase(ownerClass, name)) continue;
    const label = ownerClass?.label ? `${ownerClass.label}.${name}` : name;
    if (ownClass) ownClass.label = label;
    const column = header[1].length;
    items.push({
      label,
      where: { line: span.startLine + 1, column: column + 1, endLine: span.startLine + 1, endColumn: column + name.length + 1 },
      documented: hasDocstring(span.node),
    });
  }
  return items;
}

// ---- TypeScript/JavaScript: exported functions and classes, and the public methods of exported classes.

const NOT_DOCUMENTATION_SIBLINGS = new Set(['decorator', ';']);

/**
 * The `/** … *\/` right before a declaration, looking past decorators, line comments and overload
 * signatures of the same name.
 */
function hasJsDoc(node: SgNode, name: string | undefined): boolean {
  let previous = node.prev();
  while (previous) {
    const kind = String(previous.kind());
    if (kind === 'comment') {
      if (previous.text().startsWith('/**')) return true;
      // A line comment between the JSDoc and the item (`// eslint-disable-next-line`) does not undo it.
      if (!previous.text().startsWith('//')) return false;
      previous = previous.prev();
      continue;
    }
    const overload =
      (kind === 'method_signature' && previous.field('name')?.text() === name) ||
      (kind === 'export_statement' && previous.field('declaration')?.kind() === 'function_signature' && previous.field('declaration')?.field('name')?.text() === name);
    if (!NOT_DOCUMENTATION_SIBLINGS.has(kind) && !overload) return false;
    previous = previous.prev();
  }
  return false;
}

const CLASS_KINDS = new Set(['class_declaration', 'abstract_class_declaration', 'class']);
const FUNCTION_VALUE_KINDS = new Set(['arrow_function', 'function_expression', 'generator_function']);

function tsClassMembers(classNode: SgNode, className: string, items: Item[]): void {
  for (const member of classNode.field('body')?.children() ?? []) {
    if (member.kind() !== 'method_definition') continue;
    const nameNode = member.field('name');
    const name = nameNode?.text() ?? '';
    if (!nameNode || name === 'constructor' || name.startsWith('#') || name.startsWith('_')) continue;
    const modifier = member.children().find((c) => c.kind() === 'accessibility_modifier')?.text();
    if (modifier === 'private' || modifier === 'protected') continue;
    // Setters share the getter's JSDoc; `override` methods the base's.
    if (member.children().some((c) => c.kind() === 'set' || c.kind() === 'override_modifier')) continue;
    items.push({ label: `${className}.${name}`, where: nameNode, documented: hasJsDoc(member, name) });
  }
}

function tsItems(root: SgNode, items: Item[]): void {
  for (const statement of root.children()) {
    if (statement.kind() !== 'export_statement') continue;
    const declaration = statement.field('declaration') ?? statement.field('value');
    if (!declaration) continue;
    const kind = String(declaration.kind());
    // `export function _parse`: exported for sibling modules, internal by convention.
    if (declaration.field('name')?.text().startsWith('_')) continue;
    const documented = hasJsDoc(statement, declaration.field('name')?.text());
    if (kind === 'function_declaration' || kind === 'generator_function_declaration' || FUNCTION_VALUE_KINDS.has(kind)) {
      const nameNode = declaration.field('name') ?? statement.children().find((c) => c.kind() === 'default');
      if (nameNode) items.push({ label: declaration.field('name')?.text() ?? 'default export', where: nameNode, documented });
    } else if (CLASS_KINDS.has(kind)) {
      const nameNode = declaration.field('name') ?? statement.children().find((c) => c.kind() === 'default');
      if (!nameNode) continue;
      const name = declaration.field('name')?.text() ?? 'default export';
      items.push({ label: name, where: nameNode, documented });
      tsClassMembers(declaration, name, items);
    } else if (kind === 'lexical_declaration' || kind === 'variable_declaration') {
      // `export const handler = async () => {}`: a function by another spelling.
      for (const declarator of declaration.children().filter((c) => c.kind() === 'variable_declarator')) {
        const value = declarator.field('value');
        const nameNode = declarator.field('name');
        if (!value || !nameNode || nameNode.kind() !== 'identifier' || nameNode.text().startsWith('_') || !FUNCTION_VALUE_KINDS.has(String(value.kind()))) continue;
        items.push({ label: nameNode.text(), where: nameNode, documented });
      }
    }
  }
}

function quoteList(names: string[], max = 4): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function check(context: RuleContext): void {
  const root = context.root;
  if (!root || SKIPPED_PATH.test(context.file.path)) return;
  const items: Item[] = [];
  if (context.file.family === 'py') {
    const spans = pySpansByFile.get(context);
    if (spans) items.push(...pyItems(context, spans));
  } else if (context.file.family === 'ts' && /\bexport\b/.test(context.source)) tsItems(root, items);
  if (items.length === 0) return;
  const documented = items.filter((i) => i.documented).length;
  context.measure('docstring-coverage', documented, items.length);

  const minCoverage = Number(context.options.minCoverage ?? DEFAULT_MIN_COVERAGE);
  const minItems = Number(context.options.minItems ?? DEFAULT_MIN_ITEMS);
  const percent = Math.round((documented * 100) / items.length);
  if (items.length < minItems || (documented * 100) / items.length >= minCoverage) return;
  const undocumented = items.filter((i) => !i.documented);
  const what = context.file.family === 'py' ? 'a docstring' : 'a JSDoc comment';
  const where = undocumented[0].where;
  context.report({
    ...('line' in where ? { range: where } : { node: where }),
    message:
      `Only ${documented} of ${items.length} public functions, classes and methods in this file have ${what} (${percent}%, ` +
      `below ${minCoverage}%); undocumented: ${quoteList(undocumented.map((i) => i.label))}.`,
  });
}

export default defineRule({
  meta: {
    id: 'documentation/low-docstring-coverage',
    title: 'Low docstring coverage',
    area: 'documentation',
    severity: 'low',
    type: 'enhancement',
    effort: 'medium',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'Files where fewer than half of the public functions, classes and methods have a docstring or JSDoc comment.',
    why:
      'Public functions and classes are what other modules call: without a docstring every caller has to read the ' +
      'implementation to learn what a function expects, returns and raises (seed 000: "Docstrings quality"). The rule ' +
      'counts public items: in Python module-level functions and classes and the methods of public classes; in ' +
      'TypeScript/JavaScript exported functions (including `export const f = () => ...`), exported classes and their public ' +
      'methods. Documented means a docstring (Python) or a `/** ... */` comment right before the item (TypeScript). One ' +
      'finding per file whose coverage is below 50% with at least 5 such items (both options), at the first undocumented ' +
      'item; the `docstring-coverage` metric gives the project-wide share. Not counted: private `_names`, dunders ' +
      '(`__init__`: the class docstring covers it), methods overriding a method of a base class defined in the same file or marked `@override` (the base\'s docstring applies), constructors, `#private`/`private`/`protected` members, `@overload` and ' +
      'TypeScript overload signatures (the docs sit on one of them), property setters, nested functions, non-exported ' +
      'TypeScript items, CommonJS `module.exports` (no reliable notion of public), `.d.ts` files, schema migrations and tests.',
    recommendation:
      'Document what callers need: one line on what the function does, then parameters, return value and the errors it ' +
      'raises (Google or NumPy style in Python, `@param`/`@returns`/`@throws` in JSDoc). Start with the most used public ' +
      'modules; enforce it for new code with Ruff D1xx (pydocstyle) or eslint-plugin-jsdoc `require-jsdoc`.',
    examples: [
      {
        language: 'py',
        bad:
          'def open_position(bot, size):\n    return bot.buy(size)\n\n\ndef close_position(bot, position):\n    return bot.sell(position)\n\n\n' +
          'def position_size(bot, price):\n    return bot.capital / price\n\n\ndef trailing_stop(position, price):\n    return max(position.stop, price * 0.98)\n\n\n' +
          'class Position:\n    pass\n',
        good:
          'def open_position(bot, size):\n    """Buy `size` units for `bot`; returns the filled order."""\n    return bot.buy(size)\n\n\n' +
          'def close_position(bot, position):\n    """Sell the whole position at market."""\n    return bot.sell(position)\n\n\n' +
          'def position_size(bot, price):\n    """Units the bot can afford at `price`."""\n    return bot.capital / price\n\n\n' +
          'def trailing_stop(position, price):\n    return max(position.stop, price * 0.98)\n\n\nclass Position:\n    """An open position."""\n',
      },
      {
        language: 'ts',
        bad:
          'export function openPosition(bot: Bot, size: number) {\n  return bot.buy(size);\n}\n\n' +
          'export function closePosition(bot: Bot, position: Position) {\n  return bot.sell(position);\n}\n\n' +
          'export const positionSize = (bot: Bot, price: number) => bot.capital / price;\n\n' +
          'export class RiskManager {\n  check(bot: Bot) {\n    return bot.drawdown < 0.2;\n  }\n}\n',
        good:
          '/** Buys `size` units for `bot`. */\nexport function openPosition(bot: Bot, size: number) {\n  return bot.buy(size);\n}\n\n' +
          '/** Sells the whole position at market. */\nexport function closePosition(bot: Bot, position: Position) {\n  return bot.sell(position);\n}\n\n' +
          '/** Units the bot can afford at `price`. */\nexport const positionSize = (bot: Bot, price: number) => bot.capital / price;\n\n' +
          '/** Drawdown limits per bot. */\nexport class RiskManager {\n  check(bot: Bot) {\n    return bot.drawdown < 0.2;\n  }\n}\n',
      },
    ],
    references: [
      'seed 000 (docstrings quality)',
      'Ruff/pydocstyle D101 (class), D102 (method), D103 (function)',
      'interrogate (docstring coverage)',
      'eslint-plugin-jsdoc require-jsdoc',
      'SonarQube S1176 (public APIs should be documented)',
    ],
    options: {
      minCoverage: { default: DEFAULT_MIN_COVERAGE, description: 'Percentage of documented public items below which a file is reported.' },
      minItems: { default: DEFAULT_MIN_ITEMS, description: 'Fewest public items a file must have to be judged (small files are left to the metric).' },
    },
    metrics: [
      {
        id: 'docstring-coverage',
        label: 'Public functions and classes with docstrings',
        kind: 'coverage',
        target: 60,
        note: 'Documented public functions, classes and methods (Python docstrings, TypeScript JSDoc on exported items).',
      },
    ],
  },
  visitors: {
    py: {
      function_definition: (node, context) => void pySpansOf(context).functions.push(spanOf(node)),
      class_definition: (node, context) => void pySpansOf(context).classes.push(spanOf(node)),
    },
  },
  onFile: check,
});
