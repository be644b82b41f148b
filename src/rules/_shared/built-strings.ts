// How a string is assembled from pieces: f-strings, `%`, `.format()`, `+`, `"sep".join([...])`
// (Python) and template literals, `+`, `[...].join()` (TS/JS). Rules ask two questions of it:
// which expressions are spliced into the text, and what the constant text around them says.
// Deliberately syntactic and local (one file, one level of variable): a taint engine can replace
// the callers' "where does this part come from" questions later without touching this file.
import type { SgNode } from '@ast-grep/napi';
import { tsDeclaredValue, unwrapTsExpression } from './static-values.js';
import { enclosingFunction as pyEnclosingFunction, positionalArguments } from './python.js';
import { enclosingFunction as tsEnclosingFunction } from './typescript.js';

/** Where a spliced expression sits in the text: `template` holds `\u0000` at each part's place. */
export interface BuiltString {
  /** The expressions spliced into the text, in order. */
  parts: SgNode[];
  /** The constant text with `\u0000` where each part goes (`%s`/`{}` markers stay as written). */
  template: string;
  /** Numeric format per part (`{n:d}`, `{x:.2f}`): such a part can only render a number. */
  numeric: boolean[];
}

export const PART = '\u0000';

function literalText(node: SgNode, contentKinds: Set<string>): string {
  return node
    .children()
    .filter((c) => contentKinds.has(String(c.kind())))
    .map((c) => c.text())
    .join('');
}

const PY_CONTENT = new Set(['string_content', 'escape_sequence']);

function merge(...pieces: BuiltString[]): BuiltString {
  return {
    parts: pieces.flatMap((p) => p.parts),
    template: pieces.map((p) => p.template).join(''),
    numeric: pieces.flatMap((p) => p.numeric),
  };
}

function single(part: SgNode): BuiltString {
  return { parts: [part], template: PART, numeric: [false] };
}

/** A Python string literal, f-string or implicit concatenation, as a built string. */
function pyLiteral(node: SgNode): BuiltString | undefined {
  if (node.kind() === 'concatenated_string') {
    const pieces = node.children().filter((c) => c.isNamed()).map(pyLiteral);
    return pieces.every((p) => p !== undefined) ? merge(...(pieces as BuiltString[])) : undefined;
  }
  if (node.kind() !== 'string') return undefined;
  const result: BuiltString = { parts: [], template: '', numeric: [] };
  for (const child of node.children()) {
    if (PY_CONTENT.has(String(child.kind()))) result.template += child.text();
    else if (child.kind() === 'interpolation') {
      const expression = child.field('expression');
      if (!expression) continue;
      const spec = child.children().find((c) => c.kind() === 'format_specifier')?.text() ?? '';
      result.parts.push(expression);
      result.template += PART;
      result.numeric.push(/[bcdoxXeEfFgGn%]$/.test(spec));
    }
  }
  return result;
}

function pyPieces(node: SgNode | null | undefined, depth: number): BuiltString {
  if (!node) return { parts: [], template: '', numeric: [] };
  return pyBuiltString(node, depth + 1) ?? single(node);
}

const PERCENT_SPEC = /%(?:\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([a-zA-Z%])/g;

/**
 * Replaces format fields in a template, in order of appearance, keeping the parts already there
 * (f-string fields) aligned with their markers. `resolve` returns the node a field formats.
 */
function substitute(format: BuiltString, pattern: RegExp, resolve: (match: string, groups: (string | undefined)[]) => { value: SgNode; numeric: boolean } | string): BuiltString {
  const parts: SgNode[] = [];
  const numeric: boolean[] = [];
  let own = 0;
  const template = format.template.replace(new RegExp(`${PART}|${pattern.source}`, 'g'), (match: string, ...rest: unknown[]) => {
    if (match === PART) {
      parts.push(format.parts[own]);
      numeric.push(format.numeric[own]);
      own += 1;
      return PART;
    }
    const groups = rest.slice(0, -2) as (string | undefined)[];
    const resolved = resolve(match, groups);
    if (typeof resolved === 'string') return resolved;
    parts.push(resolved.value);
    numeric.push(resolved.numeric);
    return PART;
  });
  return { parts, template, numeric };
}

/** `"... %s ... %(name)s" % values`: each spec replaced in place by the value it formats. */
function pyPercentFormat(format: BuiltString, right: SgNode): BuiltString {
  const tuple = right.kind() === 'tuple' ? right.children().filter((c) => c.isNamed()) : undefined;
  const pairs = right.kind() === 'dictionary' ? right.children().filter((c) => c.kind() === 'pair') : undefined;
  const byKey = (key: string) => pairs?.find((p) => p.field('key')?.text().replace(/^[rbuf]*['"]|['"]$/g, '') === key)?.field('value') ?? undefined;
  let index = 0;
  return substitute(format, PERCENT_SPEC, (_match, [key, conversion]) => {
    if (conversion === '%') return '%';
    const value = key !== undefined ? byKey(key) ?? right : tuple ? tuple[index] ?? right : right;
    index += 1;
    return { value, numeric: /[dioxXeEfFgGc]/.test(conversion ?? 's') };
  });
}

/** `"... {} ... {name}".format(a, name=b)`: each field replaced in place by its argument. */
function pyFormatMethod(format: BuiltString, args: SgNode[]): BuiltString {
  const positional = args.filter((a) => a.kind() !== 'keyword_argument' && a.kind() !== 'list_splat' && a.kind() !== 'dictionary_splat');
  const keyword = (name: string) => args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === name)?.field('value') ?? undefined;
  let next = 0;
  return substitute(format, /\{\{|\}\}|\{([^{}!:]*)(![rsa])?(:[^{}]*)?\}/, (match, [field, , spec]) => {
    if (match === '{{' || match === '}}') return match;
    const name = field ?? '';
    const value = name === '' ? positional[next++] : /^\d+$/.test(name) ? positional[Number(name)] : keyword(name.split(/[.[]/)[0]);
    if (!value) return match;
    return { value, numeric: /[bcdoxXeEfFgGn%]$/.test(spec ?? '') };
  });
}

/**
 * The pieces of a Python string expression, or undefined when the node is not string-building
 * syntax (a name, a call that is not `.format`/`.join`, ...). A plain literal has no parts.
 */
export function pyBuiltString(node: SgNode, depth = 0): BuiltString | undefined {
  if (depth > 8) return undefined;
  switch (node.kind()) {
    case 'string':
    case 'concatenated_string':
      return pyLiteral(node);
    case 'parenthesized_expression': {
      const inner = node.children().find((c) => c.isNamed());
      return inner ? pyBuiltString(inner, depth + 1) : undefined;
    }
    case 'binary_operator': {
      const operator = node.field('operator')?.text();
      const left = node.field('left');
      const right = node.field('right');
      if (operator === '+') {
        const leftBuilt = left ? pyBuiltString(left, depth + 1) : undefined;
        const rightBuilt = right ? pyBuiltString(right, depth + 1) : undefined;
        // `a + b` is string building only when one side visibly is a string.
        if (!leftBuilt && !rightBuilt) return undefined;
        return merge(leftBuilt ?? pyPieces(left, depth), rightBuilt ?? pyPieces(right, depth));
      }
      if (operator === '%' && left) {
        const format = pyBuiltString(left, depth + 1);
        if (!format || !right) return undefined;
        return pyPercentFormat(format, right);
      }
      return undefined;
    }
    case 'call': {
      const callee = node.field('function');
      if (callee?.kind() !== 'attribute') return undefined;
      const method = callee.field('attribute')?.text();
      const receiver = callee.field('object');
      const format = receiver ? pyLiteral(receiver) : undefined;
      if (!format) return undefined;
      const args = node.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
      if (method === 'format') return pyFormatMethod(format, args);
      if (method === 'join') {
        const [items] = positionalArguments(node);
        if (items && (items.kind() === 'list' || items.kind() === 'tuple')) {
          const pieces = items.children().filter((c) => c.isNamed()).map((c) => pyPieces(c, depth));
          return pieces.length ? merge(...pieces.flatMap((p, i) => (i ? [{ parts: [], template: format.template, numeric: [] }, p] : [p]))) : undefined;
        }
        // `", ".join(names)`: the whole join is one part of unknown content.
        return undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A Python name's string value in its own function, one level deep: the plain assignments plus
 * every `name += ...` piece (`sql = "SELECT ..."; sql += f" WHERE id = {x}"`). Undefined when the
 * name is not assigned as a built string there (a parameter, a call result).
 */
export function pyLocalBuiltString(identifier: SgNode): BuiltString | undefined {
  if (identifier.kind() !== 'identifier') return undefined;
  const name = identifier.text();
  const fn = pyEnclosingFunction(identifier);
  // Module-level names are constants or configuration, not SQL assembled for one call.
  const scope = fn?.field('body');
  if (!scope) return undefined;
  // Cheap text test first: only a name assigned a string-building expression here has a built value
  // (`sql = f"..."`, `sql = "..." % x`, `sql += ...`); parameters and call results are skipped.
  if (!new RegExp(`\\b${name}\\s*(\\+=|=\\s*[rRbBuU]*[fF]?['"(]|=[^=\\n][^\\n]*(%|\\.format\\(|\\+))`).test(scope.text())) return undefined;
  // The statements that set the name before this use, in source order (same function only).
  const use = identifier.range().start.index;
  const writes = scope
    .findAll({ rule: { any: [{ kind: 'assignment' }, { kind: 'augmented_assignment' }] } })
    .filter((w) => w.field('left')?.kind() === 'identifier' && w.field('left')?.text() === name && w.range().end.index < use && pyEnclosingFunction(w)?.id() === fn!.id());
  if (writes.some((w) => w.kind() === 'augmented_assignment' && w.field('operator')?.text() !== '+=')) return undefined;
  // The last plain assignment whose block encloses the use starts the value (`if`/`elif` branches
  // that do not lead here are left out); later `+=` pieces are added, conditional ones included.
  const enclosing = new Set(identifier.ancestors().map((a) => a.id()));
  const plain = writes.filter((w) => w.kind() === 'assignment');
  const starts = plain.filter((w) => enclosing.has(w.parent()?.parent()?.id() ?? -1));
  const start = starts[starts.length - 1];
  const chosen = start
    ? writes.filter((w) => w.range().start.index >= start.range().start.index)
    : writes;
  if (!chosen.some((w) => w.kind() === 'assignment')) return undefined;
  const pieces: BuiltString[] = [];
  for (const write of chosen) {
    const value = write.field('right');
    if (!value || value.kind() === 'assignment') return undefined;
    pieces.push(pyBuiltString(value) ?? single(value));
  }
  if (!pieces.length || pieces.every((p) => p.parts.length === 1 && p.template === PART)) return undefined;
  return merge(...pieces);
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_CONTENT = new Set(['string_fragment', 'escape_sequence']);

/** The pieces of a TS/JS string expression; undefined when it is not string-building syntax. */
export function tsBuiltString(input: SgNode, depth = 0): BuiltString | undefined {
  if (depth > 8) return undefined;
  const node = unwrapTsExpression(input);
  switch (node.kind()) {
    case 'string':
      return { parts: [], template: literalText(node, TS_CONTENT), numeric: [] };
    case 'template_string': {
      const result: BuiltString = { parts: [], template: '', numeric: [] };
      for (const child of node.children()) {
        if (TS_CONTENT.has(String(child.kind()))) result.template += child.text();
        else if (child.kind() === 'template_substitution') {
          const expression = child.children().find((c) => c.isNamed());
          if (!expression) continue;
          result.parts.push(expression);
          result.template += PART;
          result.numeric.push(false);
        }
      }
      return result;
    }
    case 'binary_expression': {
      if (node.field('operator')?.text() !== '+') return undefined;
      const left = node.field('left');
      const right = node.field('right');
      const leftBuilt = left ? tsBuiltString(left, depth + 1) : undefined;
      const rightBuilt = right ? tsBuiltString(right, depth + 1) : undefined;
      if (!leftBuilt && !rightBuilt) return undefined;
      return merge(leftBuilt ?? single(left!), rightBuilt ?? single(right!));
    }
    default:
      return undefined;
  }
}

/**
 * A TS/JS name's string value, one level deep: its declaration plus every `name += ...` in the
 * same function. Undefined when it is not declared as a built string there.
 */
export function tsLocalBuiltString(identifier: SgNode): BuiltString | undefined {
  if (identifier.kind() !== 'identifier') return undefined;
  const name = identifier.text();
  const scope = tsEnclosingFunction(identifier) ?? identifier.getRoot().root();
  let initial: SgNode | undefined = tsDeclaredValue(identifier);
  if (!initial) {
    if (!new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*\\+=`).test(scope.text())) return undefined;
    // `let sql = '...'` reassigned below: tsDeclaredValue gives up; read the declarator ourselves.
    const declarator = scope
      .findAll({ rule: { kind: 'variable_declarator' } })
      .find((d) => d.field('name')?.kind() === 'identifier' && d.field('name')?.text() === name && d.range().start.index < identifier.range().start.index);
    initial = declarator?.field('value') ?? undefined;
    if (!initial) return undefined;
  }
  const first = tsBuiltString(initial);
  if (!first) return undefined;
  const pieces = [first];
  for (const assignment of scope.findAll({ rule: { kind: 'augmented_assignment_expression' } })) {
    if (assignment.field('left')?.text() !== name || assignment.range().start.index > identifier.range().start.index) continue;
    const value = assignment.field('right');
    if (value) pieces.push(tsBuiltString(value) ?? single(value));
  }
  return merge(...pieces);
}

/** Replaces each part that `resolve` can open (a local name built as a string) by its own pieces. */
export function expandParts(built: BuiltString, resolve: (part: SgNode) => BuiltString | undefined): BuiltString {
  const parts: SgNode[] = [];
  const numeric: boolean[] = [];
  let index = 0;
  const template = built.template.replace(/\u0000/g, () => {
    const part = built.parts[index];
    const isNumeric = built.numeric[index];
    index += 1;
    const inner = part ? resolve(part) : undefined;
    if (!inner) {
      parts.push(part);
      numeric.push(isNumeric);
      return PART;
    }
    parts.push(...inner.parts);
    numeric.push(...inner.numeric);
    return inner.template;
  });
  return { parts, template, numeric };
}
