// Is this SQL text built dynamically: which spliced parts of a built string can carry SQL syntax.
// Constants, numbers, quoted identifiers and generated placeholder lists (`", ".join(["%s"] * n)`)
// cannot; anything else can. Kept apart from the sink list (sinks.ts).
import type { SgNode } from '@ast-grep/napi';
import { pyBuiltString, tsBuiltString, type BuiltString } from '../../_shared/built-strings.js';
import { pyNameValues, tsDeclaredValue, unwrapTsExpression } from '../../_shared/static-values.js';
import { positionalArguments } from '../../_shared/python.js';
import { FUNCTION_KINDS } from '../../_shared/typescript.js';

/** A value spelled like a constant: `TABLE`, `settings.AUDIT_TABLE`, `Tables.USERS`. */
const CONSTANT_NAME = /(^|\.)[A-Z][A-Z0-9_]*$/;
/** A generated parameter marker list item: `?`, `%s`, `$1`, `:name`, `%(name)s`, `@p0`. */
const MARKER = String.raw`(\w+\()?(\?|%s|\$\d*|:\w+|%\(\w+\)s|@\w+)\)?`;
const PLACEHOLDER = new RegExp(String.raw`^[\s,()]*${MARKER}([\s,()]*${MARKER})*[\s,()]*$`);
/** A separator literal next to placeholders (`", "`). */
const SEPARATOR = /^[\s,()]*$/;
/** Names that hold SQL composed by code, not data: `lhs_sql`, `where_clause`, `placeholders`. */
const FRAGMENT_NAME = /(^|[._])(sql|\w+_sql|sql_\w+|clause|\w+_clause|fragment|conditions?|where|rhs|lhs|placeholders?|markers|marks)$/i;
/** Functions that return a schema object's name derived from code (`_get_sequence_name(table)`). */
const SCHEMA_NAME_CALL = /(^|\.|_)(sequence|table|column|index|constraint|trigger|schema)_name$/;

/** Quoting helpers for identifiers and literals (Django `qn`/`quote_name`, psycopg `quote_ident`...). */
const PY_QUOTING = /(^|\.)(qn|qn2|quote_name|quote_name_unless_alias|quote_ident|quote_identifier|quote_value|quote|escape_string|escape_identifier|escape_literal|literal|Identifier|as_string|sanitize_identifier)$/;
/** Calls whose result is a number, a boolean or a date: no SQL syntax can come out of them. */
const PY_NUMERIC = /^(int|float|len|round|abs|bool|min|max|sum|math\.\w+)$/;

function pyLiteralText(node: SgNode): string | undefined {
  if (node.kind() !== 'string') return undefined;
  if (node.children().some((c) => c.kind() === 'interpolation')) return undefined;
  return node.children().filter((c) => c.kind() === 'string_content').map((c) => c.text()).join('');
}

/** `"?" * n`, `["%s"] * len(ids)`, `",".join("?" for _ in ids)`, `", ".join(["%s"] * n)`. */
function pyIsPlaceholderList(node: SgNode): boolean {
  const texts = node.findAll({ rule: { kind: 'string' } }).map(pyLiteralText);
  if (texts.some((t) => t === undefined || !(PLACEHOLDER.test(t) || SEPARATOR.test(t))) || !texts.some((t) => PLACEHOLDER.test(t!))) return false;
  // Only lengths and counters besides the markers: no name is spliced in as text.
  return !node.find({ rule: { kind: 'interpolation' } });
}

function pyLoopIterable(identifier: SgNode): SgNode | undefined {
  for (const ancestor of identifier.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'for_statement' || kind === 'for_in_clause') {
      const left = ancestor.field('left');
      if (left?.kind() === 'identifier' && left.text() === identifier.text()) return ancestor.field('right') ?? undefined;
    }
    if (/comprehension|generator_expression/.test(String(kind))) {
      for (const clause of ancestor.children().filter((c) => c.kind() === 'for_in_clause')) {
        const left = clause.field('left');
        if (left?.kind() === 'identifier' && left.text() === identifier.text()) return clause.field('right') ?? undefined;
      }
    }
    if (kind === 'function_definition') break;
  }
  return undefined;
}

const resolving = new Set<string>();

/** Whether a spliced Python expression can only produce constant, numeric or quoted text. */
export function pyIsSafePart(node: SgNode, depth = 0): boolean {
  if (depth > 5) return false;
  switch (node.kind()) {
    case 'parenthesized_expression': {
      const inner = node.children().find((c) => c.isNamed());
      if (inner && inner.kind() !== 'string' && inner.kind() !== 'binary_operator') return pyIsSafePart(inner, depth + 1);
      const built = pyBuiltString(node);
      return built ? pyUnsafeParts(built, depth + 1).length === 0 : false;
    }
    case 'dictionary':
      return node.children().filter((c) => c.kind() === 'pair').every((p) => !!p.field('value') && pyIsSafePart(p.field('value')!, depth + 1));
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'string':
    case 'concatenated_string':
    case 'binary_operator': {
      if (node.kind() === 'binary_operator' && node.field('operator')?.text() === '*') return pyIsPlaceholderList(node) || pyIsNumeric(node);
      if (node.kind() === 'binary_operator' && ['-', '//', '/'].includes(node.field('operator')?.text() ?? '')) return true;
      const built = pyBuiltString(node);
      return built ? pyUnsafeParts(built, depth + 1).length === 0 : false;
    }
    case 'conditional_expression':
      return node.children().filter((c) => c.isNamed()).slice(0, 1).concat(node.children().filter((c) => c.isNamed()).slice(2)).every((c) => pyIsSafePart(c, depth + 1));
    case 'identifier': {
      if (CONSTANT_NAME.test(node.text()) || FRAGMENT_NAME.test(node.text())) return true;
      const iterable = pyLoopIterable(node);
      if (iterable) return pyIsSafeCollection(iterable, depth + 1);
      // `v = quote(x); v = "TO_DATE(%s)" % v`: a value built from the name itself adds nothing new.
      if (resolving.has(node.text())) return true;
      const values = pyNameValues(node);
      if (!values) return false;
      resolving.add(node.text());
      try {
        return values.every((v) => pyIsSafePart(v, depth + 1));
      } finally {
        resolving.delete(node.text());
      }
    }
    case 'attribute':
      // Class and settings constants, and Django's code-defined table names (`Model._meta.db_table`).
      return CONSTANT_NAME.test(node.text()) || FRAGMENT_NAME.test(node.text()) || /\._meta\.db_table$/.test(node.text());
    case 'call': {
      const callee = node.field('function')?.text() ?? '';
      if (PY_QUOTING.test(callee) || PY_NUMERIC.test(callee) || SCHEMA_NAME_CALL.test(callee)) return true;
      if (/(^|\.)(join)$/.test(callee)) {
        const args = node.field('arguments');
        if (args && pyIsPlaceholderList(args)) return true;
        // `", ".join(qn(c) for c in columns)`: every item quoted.
        const generator = args?.kind() === 'generator_expression' ? args : positionalArguments(node)[0];
        const body = generator && ['generator_expression', 'list_comprehension'].includes(String(generator.kind())) ? generator.field('body') : undefined;
        if (body && pyIsSafePart(body, depth + 1)) return true;
        const [items] = positionalArguments(node);
        if (items && (items.kind() === 'list' || items.kind() === 'tuple')) return items.children().filter((c) => c.isNamed()).every((c) => pyIsSafePart(c, depth + 1));
        if (items?.kind() === 'identifier') return pyIsSafePart(items, depth + 1);
        return false;
      }
      const built = pyBuiltString(node);
      return built ? pyUnsafeParts(built, depth + 1).length === 0 : false;
    }
    case 'list':
    case 'tuple':
      return node.children().filter((c) => c.isNamed()).every((c) => pyIsSafePart(c, depth + 1));
    default:
      return false;
  }
}

function pyIsNumeric(node: SgNode): boolean {
  return node.children().filter((c) => c.isNamed()).every((c) => ['integer', 'float'].includes(String(c.kind())) || (c.kind() === 'call' && PY_NUMERIC.test(c.field('function')?.text() ?? '')));
}

/** A loop over literals or a constant (`for table in STAGING_TABLES`) yields constants. */
function pyIsSafeCollection(node: SgNode, depth: number): boolean {
  if (node.kind() === 'call' && node.field('function')?.text() === 'range') return true;
  if (node.kind() === 'list' || node.kind() === 'tuple' || node.kind() === 'set') return node.children().filter((c) => c.isNamed()).every((c) => pyIsSafePart(c, depth + 1));
  if (node.kind() === 'identifier' || node.kind() === 'attribute') {
    if (CONSTANT_NAME.test(node.text())) return true;
    const values = node.kind() === 'identifier' ? pyNameValues(node) : undefined;
    return !!values && values.every((v) => pyIsSafeCollection(v, depth + 1));
  }
  return false;
}

export function pyUnsafeParts(built: BuiltString, depth = 0): SgNode[] {
  return built.parts.filter((part, i) => !built.numeric[i] && !pyIsSafePart(part, depth));
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const TS_QUOTING = /(^|\.)(escape|escapeId|escapeIdentifier|escapeLiteral|quoteIdent|quoteIdentifier|quote|ref|identifier|id|format|sqlstring\.\w+)$/;
const TS_NUMERIC = /^(Number|parseInt|parseFloat|Math\.\w+|Boolean)$|\.(toFixed|getTime|valueOf|length)$/;

/** `ids.map(() => '?').join(',')`, `ids.map((_, i) => `$${i + 1}`).join(', ')`, `Array(n).fill('?').join()`, `'?'.repeat(n)`. */
function tsIsPlaceholderList(call: SgNode): boolean {
  const strings = call.findAll({ rule: { any: [{ kind: 'string' }, { kind: 'template_string' }] } });
  let markers = 0;
  const allMarkers = strings.every((s) => {
    const built = tsBuiltString(s);
    if (!built) return false;
    const text = built.template.replace(/\u0000/g, '');
    if (SEPARATOR.test(text) && !built.parts.length) return true;
    markers += 1;
    // `$${i + 1}`: only counters spliced into the marker.
    return PLACEHOLDER.test(text) && built.parts.every((p) => /^[\w\s+\-*]+$/.test(p.text()));
  });
  return allMarkers && markers > 0;
}

function tsParameterType(identifier: SgNode): string | undefined {
  for (const fn of identifier.ancestors()) {
    if (!FUNCTION_KINDS.has(String(fn.kind()))) continue;
    const parameters = fn.field('parameters');
    const parameter = parameters?.children().find((p) => p.field('pattern')?.text() === identifier.text());
    if (parameter) return parameter.field('type')?.text().replace(/^:\s*/, '') ?? '';
  }
  return undefined;
}

export function tsIsSafePart(input: SgNode, depth = 0): boolean {
  if (depth > 5) return false;
  const node = unwrapTsExpression(input);
  switch (node.kind()) {
    case 'number':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return true;
    case 'string':
    case 'template_string':
    case 'binary_expression': {
      if (node.kind() === 'binary_expression' && ['-', '*', '/', '%'].includes(node.field('operator')?.text() ?? '')) return true;
      const built = tsBuiltString(node);
      if (!built && node.kind() === 'binary_expression' && ['??', '||'].includes(node.field('operator')?.text() ?? '')) {
        return tsIsSafePart(node.field('left')!, depth + 1) && tsIsSafePart(node.field('right')!, depth + 1);
      }
      return built ? tsUnsafeParts(built, depth + 1).length === 0 : false;
    }
    case 'ternary_expression':
      return tsIsSafePart(node.field('consequence')!, depth + 1) && tsIsSafePart(node.field('alternative')!, depth + 1);
    case 'identifier': {
      if (CONSTANT_NAME.test(node.text()) || FRAGMENT_NAME.test(node.text())) return true;
      const type = tsParameterType(node);
      if (type !== undefined) return /^(number|boolean|bigint|Date)$/.test(type);
      const value = tsDeclaredValue(node);
      return !!value && tsIsSafePart(value, depth + 1);
    }
    case 'member_expression':
      return CONSTANT_NAME.test(node.text()) || FRAGMENT_NAME.test(node.text()) || /\.length$/.test(node.text());
    case 'call_expression': {
      const callee = node.field('function')?.text() ?? '';
      if (TS_QUOTING.test(callee) || TS_NUMERIC.test(callee)) return true;
      // `ids.map(() => '?')` renders as `?,?` in a template literal, like `.join(',')`.
      if (/\.(join|repeat|map)$/.test(callee) && tsIsPlaceholderList(node)) return true;
      // `[a, b].join(' AND ')` of safe pieces.
      const receiver = node.field('function')?.field('object');
      if (/\.join$/.test(callee) && receiver && unwrapTsExpression(receiver).kind() === 'array') {
        return unwrapTsExpression(receiver).children().filter((c) => c.isNamed()).every((c) => tsIsSafePart(c, depth + 1));
      }
      return false;
    }
    default:
      return false;
  }
}

export function tsUnsafeParts(built: BuiltString, depth = 0): SgNode[] {
  return built.parts.filter((part) => !tsIsSafePart(part, depth));
}


// ---------------------------------------------------------------------------------------------
// Where a part sits in the SQL text
// ---------------------------------------------------------------------------------------------

/** Right before a value: a comparison, LIKE, LIMIT/OFFSET, BETWEEN. */
const BEFORE_VALUE = /(=|<>|!=|<|>|\bLIKE|\bILIKE|\bLIMIT|\bOFFSET|\bBETWEEN|\bAGAINST\s*\()\s*\(?\s*$/i;

/**
 * Whether the `index`-th spliced part sits where SQL expects a data value (a string literal, the
 * right side of a comparison, an IN/VALUES list, LIMIT): such values must be bound parameters.
 * Identifier and fragment positions (`FROM {table}`, `ORDER BY {column}`, `{lhs} = {rhs}`'s
 * left side, a whole clause) are where code composes SQL from names it chose.
 */
export function inValuePosition(template: string, index: number): boolean {
  let position = -1;
  for (let i = 0; i <= index; i++) {
    position = template.indexOf('\u0000', position + 1);
    if (position < 0) return false;
  }
  const before = template.slice(0, position).replace(/\u0000/g, 'x');
  // Inside a quoted SQL string: count quotes not doubled.
  const quotes = (before.replace(/''/g, '').match(/'/g) ?? []).length;
  if (quotes % 2 === 1) return true;
  if (BEFORE_VALUE.test(before)) return true;
  // In a list: the innermost open parenthesis belongs to IN (...) or VALUES (...).
  if (/[,(]\s*$/.test(before)) {
    let depth = 0;
    for (let i = before.length - 1; i >= 0; i--) {
      const c = before[i];
      if (c === ')') depth += 1;
      else if (c === '(') {
        if (depth === 0) return /\b(IN|VALUES)\s*$/i.test(before.slice(0, i));
        depth -= 1;
      }
    }
  }
  return false;
}
