// The modules a file imports, read from import statements and `require`/`import()` calls at the
// top level (and inside top-level `try`/`if` blocks for Python's optional imports). The module
// names feed stack detection; the statements (with their line, relative level and whether they
// run) feed the project model, which resolves them to files (src/model/imports.ts).
import type { SgNode } from '@ast-grep/napi';
import type { ParsedFamily } from '../core/rule.js';

/**
 * When an import runs: `runtime` when the module is loaded, `type` never (`import type`, an
 * import whose names are only used as types, Python's `if TYPE_CHECKING:`), `lazy` later
 * (`import()`, a `require` inside a function).
 */
export type ImportTiming = 'runtime' | 'type' | 'lazy';

export interface ImportStatement {
  /** Python: dotted name, with its leading dots when relative (`..models`, `.`); TS/JS: the specifier. */
  module: string;
  /** Python `from m import a, b`: the imported names (submodules, possibly); absent otherwise. */
  names?: string[];
  /** 1-based line of the statement. */
  line: number;
  timing: ImportTiming;
}

const PY_IMPORTS = { rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } };
const JS_DYNAMIC_IMPORTS = { rule: { kind: 'call_expression', has: { field: 'function', regex: '^(require|import)$' } } };
const JS_FUNCTION_KINDS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function', 'generator_function_declaration']);

function unquote(literal: string): string | undefined {
  const match = /^(['"`])([^'"`$]*)\1$/.exec(literal.trim());
  return match ? match[2] : undefined;
}

const lineOf = (node: SgNode) => node.range().start.line + 1;

/** `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:` / `if t.TYPE_CHECKING:`: imports only type checkers follow. */
function isTypeCheckingGuard(statement: SgNode): boolean {
  const condition = statement.field('condition')?.text() ?? '';
  return /^(\w+\.)?TYPE_CHECKING$/.test(condition.trim());
}

/** `if __name__ == "__main__":`: runs when the file is executed as a script, not when imported. */
function isMainGuard(statement: SgNode): boolean {
  const condition = (statement.field('condition')?.text() ?? '').replace(/\s+/g, '').replaceAll("'", '"');
  return condition === '__name__=="__main__"' || condition === '"__main__"==__name__';
}

function pythonStatement(statement: SgNode, timing: ImportTiming, into: ImportStatement[]): void {
  const line = lineOf(statement);
  if (statement.kind() === 'import_from_statement') {
    const module = statement.field('module_name')?.text();
    if (!module) return;
    const names: string[] = [];
    for (const item of statement.children()) {
      if (item.kind() === 'dotted_name' && item !== statement.field('module_name')) names.push(item.text());
      else if (item.kind() === 'aliased_import') {
        const name = item.field('name')?.text();
        if (name) names.push(name);
      }
    }
    into.push({ module, names: names.filter((name) => name !== module), line, timing });
    return;
  }
  for (const item of statement.children()) {
    if (item.kind() === 'dotted_name') into.push({ module: item.text(), line, timing });
    else if (item.kind() === 'aliased_import') {
      const name = item.field('name')?.text();
      if (name) into.push({ module: name, line, timing });
    }
  }
}

function pythonStatements(root: SgNode): ImportStatement[] {
  const found: ImportStatement[] = [];
  for (const statement of root.children()) {
    const kind = String(statement.kind());
    if (kind === 'import_statement' || kind === 'import_from_statement') pythonStatement(statement, 'runtime', found);
    else if (kind === 'try_statement' || kind === 'if_statement') {
      const guarded: ImportTiming = kind !== 'if_statement' ? 'runtime' : isTypeCheckingGuard(statement) ? 'type' : isMainGuard(statement) ? 'lazy' : 'runtime';
      for (const nested of statement.findAll(PY_IMPORTS)) {
        const ancestors = nested.ancestors();
        // Inside a function defined in the block: not run at import time.
        if (ancestors.some((a) => a.kind() === 'function_definition')) continue;
        // The `else:` of `if TYPE_CHECKING:` is what runs.
        const inElse = ancestors.some((a) => (a.kind() === 'else_clause' || a.kind() === 'elif_clause') && a.parent()?.id() === statement.id());
        pythonStatement(nested, inElse ? 'runtime' : guarded, found);
      }
    }
  }
  return found;
}

// The import's own names, and `ns.Type` in a type position (`inside` looks at the parent only).
const NOT_VALUE_PARENT = { any: ['import_specifier', 'import_clause', 'namespace_import', 'nested_type_identifier'].map((kind) => ({ kind })) };

/**
 * Whether a TS file uses one of `names` as a value (an identifier outside type positions and
 * imports): TypeScript drops an import none of whose names is. Searched natively, first use only.
 */
function usesAsValue(root: SgNode, names: readonly string[]): boolean {
  return names.some((name) => root.find({ rule: { kind: 'identifier', regex: `^${name.replace(/[$]/g, '\\$')}$`, not: { inside: NOT_VALUE_PARENT } } }) !== null);
}

/** Local names an `import` statement binds, with whether the statement or the specifier says `type`. */
function importBindings(statement: SgNode): { name: string; typeOnly: boolean }[] {
  const clause = statement.children().find((child) => child.kind() === 'import_clause');
  if (!clause) return [];
  const bindings: { name: string; typeOnly: boolean }[] = [];
  for (const part of clause.children()) {
    const kind = String(part.kind());
    if (kind === 'identifier') bindings.push({ name: part.text(), typeOnly: false });
    else if (kind === 'namespace_import') {
      const name = part.children().find((child) => child.kind() === 'identifier');
      if (name) bindings.push({ name: name.text(), typeOnly: false });
    } else if (kind === 'named_imports') {
      for (const specifier of part.children()) {
        if (specifier.kind() !== 'import_specifier') continue;
        const local = specifier.field('alias') ?? specifier.field('name');
        const typeOnly = specifier.children().some((child) => child.kind() === 'type');
        if (local) bindings.push({ name: local.text(), typeOnly });
      }
    }
  }
  return bindings;
}

function javascriptStatements(root: SgNode, typescript: boolean): ImportStatement[] {
  const found: ImportStatement[] = [];
  // TS imports whose runtime-ness depends on how their names are used: decided at the end.
  const pending: { statement: ImportStatement; names: string[] }[] = [];
  for (const statement of root.children()) {
    const kind = String(statement.kind());
    if (kind === 'import_statement' || kind === 'export_statement') {
      const source = statement.field('source');
      const module = source ? unquote(source.text()) : undefined;
      const saysType = statement.children().some((child) => child.kind() === 'type');
      if (module) {
        const entry: ImportStatement = { module, line: lineOf(statement), timing: saysType ? 'type' : 'runtime' };
        found.push(entry);
        if (!saysType && typescript && kind === 'import_statement') {
          const bindings = importBindings(statement);
          // `import './x'` runs for its effects; otherwise TS keeps it only if a name is a value.
          if (bindings.length) pending.push({ statement: entry, names: bindings.filter((b) => !b.typeOnly).map((b) => b.name) });
        }
      }
      if (kind === 'import_statement') {
        const required = statement.children().find((child) => child.kind() === 'import_require_clause');
        const literal = required?.children().find((child) => child.kind() === 'string');
        const target = literal ? unquote(literal.text()) : undefined;
        if (target) found.push({ module: target, line: lineOf(statement), timing: 'runtime' });
        continue;
      }
    } else if (kind !== 'lexical_declaration' && kind !== 'variable_declaration' && kind !== 'expression_statement') continue;
    const text = statement.text();
    if (!text.includes('require') && !text.includes('import(')) continue;
    for (const call of statement.findAll(JS_DYNAMIC_IMPORTS)) {
      const first = call.field('arguments')?.children().find((child) => child.isNamed());
      const module = first ? unquote(first.text()) : undefined;
      if (!module) continue;
      const inFunction = call.ancestors().some((a) => JS_FUNCTION_KINDS.has(String(a.kind())));
      const lazy = inFunction || call.field('function')?.text() === 'import';
      found.push({ module, line: lineOf(call), timing: lazy ? 'lazy' : 'runtime' });
    }
  }
  for (const { statement, names } of pending) if (!usesAsValue(root, names)) statement.timing = 'type';
  return found;
}

/** Import statements at module level, in source order. `typescript`: the file is TS (imports may be elided). */
export function collectImportStatements(root: SgNode, family: ParsedFamily, typescript = false): ImportStatement[] {
  return family === 'py' ? pythonStatements(root) : javascriptStatements(root, typescript);
}

/** Module names for stack detection (Python dotted names but not relative ones, JS specifiers), sorted. */
export function importedModules(statements: readonly ImportStatement[], family: ParsedFamily): string[] {
  const found = new Set<string>();
  for (const statement of statements) if (family !== 'py' || !statement.module.startsWith('.')) found.add(statement.module);
  return [...found].sort();
}

export function collectImports(root: SgNode, family: ParsedFamily): string[] {
  return importedModules(collectImportStatements(root, family), family);
}
