// What a name or an expression statically is, within one file: which module an imported name
// comes from, which literal a constant holds. Deliberately shallow (same file, no flow
// analysis): an answer of `undefined` means "cannot tell", and rules stay silent on it.
import type { SgNode } from '@ast-grep/napi';

function sameNode(a: SgNode, b: SgNode): boolean {
  return a.id() === b.id();
}

function cached<T>(cache: WeakMap<object, { source: string; value: T }>, key: object, source: string, build: () => T): T {
  const hit = cache.get(key);
  if (hit && hit.source === source) return hit.value;
  const value = build();
  cache.set(key, { source, value });
  return value;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Local name → dotted origin: `import subprocess as sp` → sp: subprocess; `from os import system` → system: os.system. */
export type PyBindings = Map<string, string>;

const pyBindingCache = new WeakMap<object, { source: string; value: PyBindings }>();

export function pyImportBindings(root: SgNode): PyBindings {
  const bindings: PyBindings = new Map();
  for (const statement of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
    if (statement.kind() === 'import_statement') {
      for (const item of statement.children()) {
        if (item.kind() === 'dotted_name') {
          // `import os.path` binds `os`.
          const first = item.text().split('.')[0];
          bindings.set(first, first);
        } else if (item.kind() === 'aliased_import') {
          const name = item.field('name')?.text();
          const alias = item.field('alias')?.text();
          if (name && alias) bindings.set(alias, name);
        }
      }
      continue;
    }
    const module = statement.field('module_name')?.text();
    if (!module || module.startsWith('.')) continue;
    for (const item of statement.children()) {
      if (sameNode(item, statement.field('module_name')!)) continue;
      if (item.kind() === 'dotted_name') bindings.set(item.text(), `${module}.${item.text()}`);
      else if (item.kind() === 'aliased_import') {
        const name = item.field('name')?.text();
        const alias = item.field('alias')?.text();
        if (name && alias) bindings.set(alias, `${module}.${name}`);
      }
    }
  }
  return bindings;
}

/** Bindings of the file `node` belongs to, computed once per file per key (a rule context). */
export function pyBindingsFor(key: object, node: SgNode, source: string): PyBindings {
  return cached(pyBindingCache, key, source, () => pyImportBindings(node.getRoot().root()));
}

/**
 * The dotted origin of a name or attribute chain: `sp.run` → `subprocess.run` when `import
 * subprocess as sp`; an unimported chain is returned as written (`subprocess.run`).
 */
export function pyQualifiedName(expression: SgNode | null | undefined, bindings: PyBindings): string | undefined {
  if (!expression) return undefined;
  const text = expression.text();
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(text)) return undefined;
  const [first, ...rest] = text.split('.');
  const origin = bindings.get(first) ?? first;
  return [origin, ...rest].join('.');
}

/** The value of a plain string literal or an implicit concatenation of them; undefined for f-strings with fields. */
export function pyStaticString(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind() === 'parenthesized_expression') return pyStaticString(node.children().find((c) => c.isNamed()));
  if (node.kind() === 'concatenated_string') {
    const parts = node.children().filter((c) => c.isNamed()).map(pyStaticString);
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (node.kind() !== 'string') return undefined;
  if (node.children().some((c) => c.kind() === 'interpolation')) return undefined;
  return node
    .children()
    .filter((c) => c.kind() === 'string_content' || c.kind() === 'escape_sequence')
    .map((c) => c.text())
    .join('');
}

const PY_SCOPE_KINDS = new Set(['function_definition', 'lambda', 'class_definition']);

function pyScopeOf(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => PY_SCOPE_KINDS.has(String(a.kind())));
}

function pyParameterNames(fn: SgNode): string[] {
  const parameters = fn.field('parameters');
  if (!parameters) return [];
  return parameters
    .children()
    .map((p) => (p.kind() === 'identifier' ? p : p.find({ rule: { kind: 'identifier' } })))
    .filter((p): p is SgNode => p !== null && p !== undefined)
    .map((p) => p.text());
}

/** Other ways a name gets bound (loops, with/as, walrus, augmented assignment, tuple targets). */
function pyRebindsName(scope: SgNode, name: string, scopeNode: SgNode | undefined): boolean {
  const binders = scope.findAll({
    rule: {
      any: [
        { kind: 'augmented_assignment' },
        { kind: 'for_statement' },
        { kind: 'for_in_clause' },
        { kind: 'as_pattern' },
        { kind: 'named_expression' },
        { kind: 'global_statement' },
        { kind: 'nonlocal_statement' },
        { kind: 'pattern_list' },
        { kind: 'tuple_pattern' },
        { kind: 'list_pattern' },
      ],
    },
  });
  for (const binder of binders) {
    const owner = pyScopeOf(binder);
    if ((owner && scopeNode && !sameNode(owner, scopeNode)) || (owner && !scopeNode)) continue;
    const target =
      binder.kind() === 'augmented_assignment' || binder.kind() === 'for_statement' || binder.kind() === 'for_in_clause'
        ? binder.field('left')
        : binder.kind() === 'named_expression'
          ? binder.field('name')
          : binder.kind() === 'as_pattern'
            ? // `with open(PATH) as f` binds `f` only, not the names in `open(PATH)`.
              binder.children().find((child) => child.kind() === 'as_pattern_target')
            : binder;
    if (target?.findAll({ rule: { kind: 'identifier' } }).some((id) => id.text() === name) || target?.text() === name) return true;
  }
  return false;
}

function pyAssignmentsIn(scope: SgNode, name: string, scopeNode: SgNode | undefined): SgNode[] | undefined {
  if (pyRebindsName(scope, name, scopeNode)) return undefined;
  const values: SgNode[] = [];
  for (const assignment of scope.findAll({ rule: { kind: 'assignment' } })) {
    if (assignment.field('left')?.kind() !== 'identifier' || assignment.field('left')?.text() !== name) continue;
    const owner = pyScopeOf(assignment);
    if (scopeNode ? !owner || !sameNode(owner, scopeNode) : owner !== undefined) continue;
    const value = assignment.field('right');
    if (!value) return undefined; // `x: int` without a value
    if (value.kind() === 'assignment') return undefined; // chained `a = b = ...`
    values.push(value);
  }
  return values;
}

/**
 * Every value the identifier can hold, when all of them are plain assignments in its own function
 * or at module level (`CORS_ORIGINS = ["*"]`). Undefined for parameters, loop variables,
 * augmented or tuple assignments, class attributes, and names never assigned in this file.
 */
export function pyNameValues(identifier: SgNode): SgNode[] | undefined {
  if (identifier.kind() !== 'identifier') return undefined;
  const name = identifier.text();
  for (const scope of identifier.ancestors()) {
    const kind = scope.kind();
    if (kind === 'lambda' || kind === 'class_definition') {
      if (kind === 'lambda' && pyParameterNames(scope).includes(name)) return undefined;
      continue;
    }
    if (kind === 'function_definition') {
      if (pyParameterNames(scope).includes(name)) return undefined;
      const body = scope.field('body');
      if (!body) continue;
      const values = pyAssignmentsIn(body, name, scope);
      if (values === undefined) return undefined;
      if (values.length) return values;
      continue;
    }
    if (kind === 'module') {
      const values = pyAssignmentsIn(scope, name, undefined);
      return values && values.length ? values : undefined;
    }
  }
  return undefined;
}

/** `True`/`False`, also through a same-file constant. */
export function pyStaticBool(node: SgNode | null | undefined, depth = 0): boolean | undefined {
  if (!node || depth > 4) return undefined;
  if (node.kind() === 'true') return true;
  if (node.kind() === 'false') return false;
  if (node.kind() === 'identifier') {
    const values = pyNameValues(node);
    if (!values) return undefined;
    const resolved = values.map((v) => pyStaticBool(v, depth + 1));
    return resolved.every((r) => r === resolved[0]) ? resolved[0] : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

/** What a local name was imported as: the module and the export (`default`, `*` or a name). */
export interface TsBinding {
  module: string;
  imported: string;
}
export type TsBindings = Map<string, TsBinding>;

const tsBindingCache = new WeakMap<object, { source: string; value: TsBindings }>();

/** `node:child_process` and `child_process` are one module. */
export function normaliseModule(specifier: string): string {
  return specifier.replace(/^node:/, '');
}

/** `require('m')` or `await import('m')` → 'm'. */
export function tsRequiredModule(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  let current = node;
  if (current.kind() === 'await_expression') current = current.children().find((c) => c.isNamed()) ?? current;
  if (current.kind() !== 'call_expression') return undefined;
  const callee = current.field('function');
  if (!callee || (callee.text() !== 'require' && callee.kind() !== 'import')) return undefined;
  const args = current.field('arguments')?.children().filter((c) => c.isNamed()) ?? [];
  const specifier = tsStaticString(args[0]);
  return specifier === undefined ? undefined : normaliseModule(specifier);
}

export function tsModuleBindings(root: SgNode): TsBindings {
  const bindings: TsBindings = new Map();
  for (const statement of root.findAll({ rule: { kind: 'import_statement' } })) {
    const source = tsStaticString(statement.field('source'));
    const clause = statement.children().find((c) => c.kind() === 'import_clause');
    if (source === undefined || !clause) continue;
    const module = normaliseModule(source);
    for (const part of clause.children()) {
      if (part.kind() === 'identifier') bindings.set(part.text(), { module, imported: 'default' });
      else if (part.kind() === 'namespace_import') {
        const local = part.find({ rule: { kind: 'identifier' } });
        if (local) bindings.set(local.text(), { module, imported: '*' });
      } else if (part.kind() === 'named_imports') {
        for (const specifier of part.children().filter((c) => c.kind() === 'import_specifier')) {
          const name = specifier.field('name')?.text();
          const alias = specifier.field('alias')?.text() ?? name;
          if (name && alias) bindings.set(alias, { module, imported: name });
        }
      }
    }
  }
  // `import cp = require('child_process')` (TypeScript).
  // The kind exists in the TypeScript grammars only; JavaScript has no such syntax.
  const requireAliases = /\bimport\s+[\w$]+\s*=\s*require\s*\(/.test(root.text()) ? root.findAll({ rule: { kind: 'import_require_clause' } }) : [];
  for (const alias of requireAliases) {
    const local = alias.children().find((c) => c.kind() === 'identifier');
    const source = tsStaticString(alias.children().find((c) => c.kind() === 'string'));
    if (local && source !== undefined) bindings.set(local.text(), { module: normaliseModule(source), imported: '*' });
  }
  const declarators = root.findAll({ rule: { kind: 'variable_declarator' } });
  for (const declarator of declarators) {
    const target = declarator.field('name');
    const value = declarator.field('value');
    if (!target || !value) continue;
    const module = tsRequiredModule(value);
    if (module !== undefined) {
      if (target.kind() === 'identifier') bindings.set(target.text(), { module, imported: '*' });
      else if (target.kind() === 'object_pattern') {
        for (const part of target.children()) {
          if (part.kind() === 'shorthand_property_identifier_pattern') bindings.set(part.text(), { module, imported: part.text() });
          else if (part.kind() === 'pair_pattern') {
            const key = part.field('key')?.text();
            const local = part.field('value');
            if (key && local?.kind() === 'identifier') bindings.set(local.text(), { module, imported: key });
          }
        }
      }
      continue;
    }
    // `const exec = require('child_process').exec`
    if (target.kind() === 'identifier' && value.kind() === 'member_expression') {
      const inner = tsRequiredModule(value.field('object'));
      const property = value.field('property')?.text();
      if (inner !== undefined && property) bindings.set(target.text(), { module: inner, imported: property });
    }
  }
  // `const execAsync = promisify(exec)` keeps what it wraps (second pass: the wrapped name is bound above).
  for (const declarator of declarators) {
    const target = declarator.field('name');
    const value = declarator.field('value');
    if (target?.kind() !== 'identifier' || value?.kind() !== 'call_expression') continue;
    const callee = value.field('function')?.text();
    if (callee !== 'promisify' && callee !== 'util.promisify') continue;
    const wrapped = value.field('arguments')?.children().find((c) => c.isNamed());
    const binding = wrapped ? tsExpressionBinding(wrapped, bindings) : undefined;
    if (binding) bindings.set(target.text(), binding);
  }
  return bindings;
}

export function tsBindingsFor(key: object, node: SgNode, source: string): TsBindings {
  return cached(tsBindingCache, key, source, () => tsModuleBindings(node.getRoot().root()));
}

/**
 * What an expression refers to in module terms: `exec` (imported), `cp.exec` (namespace or
 * default import), `require('child_process').exec`. `imported` is `default`/`*` for the module itself.
 */
export function tsExpressionBinding(expression: SgNode, bindings: TsBindings): TsBinding | undefined {
  if (expression.kind() === 'identifier') return bindings.get(expression.text());
  const direct = tsRequiredModule(expression);
  if (direct !== undefined) return { module: direct, imported: '*' };
  if (expression.kind() === 'member_expression') {
    const object = expression.field('object');
    const property = expression.field('property')?.text();
    if (!object || !property) return undefined;
    const base = tsExpressionBinding(object, bindings);
    if (base && (base.imported === '*' || base.imported === 'default')) return { module: base.module, imported: property };
  }
  return undefined;
}

/** The value of a string literal or a template literal without substitutions. */
export function tsStaticString(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind() === 'parenthesized_expression') return tsStaticString(node.children().find((c) => c.isNamed()));
  if (node.kind() !== 'string' && node.kind() !== 'template_string') return undefined;
  if (node.children().some((c) => c.kind() === 'template_substitution')) return undefined;
  return node
    .children()
    .filter((c) => c.kind() === 'string_fragment' || c.kind() === 'escape_sequence')
    .map((c) => c.text())
    .join('');
}

const TS_SCOPE_KINDS = new Set(['statement_block', 'program', 'class_body', 'switch_body']);

function tsDeclaredWith(declarator: SgNode): string | undefined {
  const declaration = declarator.parent();
  if (!declaration) return undefined;
  if (declaration.kind() === 'variable_declaration') return 'var';
  return declaration.children().find((c) => !c.isNamed())?.text();
}

function tsIsReassigned(root: SgNode, name: string): boolean {
  return root
    .findAll({ rule: { any: [{ kind: 'assignment_expression' }, { kind: 'augmented_assignment_expression' }, { kind: 'update_expression' }] } })
    .some((assignment) => {
      const left = assignment.field('left') ?? assignment.field('argument') ?? assignment.children()[0];
      return left?.kind() === 'identifier' && left.text() === name;
    });
}

/**
 * The initial value of the identifier's declaration, found in the enclosing blocks (nearest
 * first): `const` always, `let`/`var` only when the file never reassigns the name. Undefined for
 * parameters, destructured names and anything not declared in this file.
 */
export function tsDeclaredValue(identifier: SgNode): SgNode | undefined {
  if (identifier.kind() !== 'identifier') return undefined;
  const name = identifier.text();
  for (const scope of identifier.ancestors()) {
    const kind = String(scope.kind());
    if (['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'function'].includes(kind)) {
      const parameters = scope.field('parameters') ?? scope.field('parameter');
      if (parameters?.findAll({ rule: { kind: 'identifier' } }).some((p) => p.text() === name)) return undefined;
      continue;
    }
    if (!TS_SCOPE_KINDS.has(kind)) continue;
    for (const statement of scope.children()) {
      let declaration = statement;
      if (statement.kind() === 'export_statement') declaration = statement.children().find((c) => c.kind() === 'lexical_declaration' || c.kind() === 'variable_declaration') ?? statement;
      if (declaration.kind() !== 'lexical_declaration' && declaration.kind() !== 'variable_declaration') continue;
      for (const declarator of declaration.children().filter((c) => c.kind() === 'variable_declarator')) {
        if (declarator.field('name')?.kind() !== 'identifier' || declarator.field('name')?.text() !== name) continue;
        const value = declarator.field('value') ?? undefined;
        if (!value) return undefined;
        if (tsDeclaredWith(declarator) !== 'const' && tsIsReassigned(identifier.getRoot().root(), name)) return undefined;
        return unwrapTsExpression(value);
      }
    }
  }
  return undefined;
}

/** Drops `(...)`, `as T`, `satisfies T` and `x!` around an expression. */
export function unwrapTsExpression(node: SgNode): SgNode {
  let current = node;
  for (let i = 0; i < 8; i++) {
    const kind = current.kind();
    if (kind === 'parenthesized_expression' || kind === 'as_expression' || kind === 'satisfies_expression' || kind === 'non_null_expression') {
      const inner = current.children().find((c) => c.isNamed());
      if (!inner) break;
      current = inner;
    } else break;
  }
  return current;
}

/** An expression, or what the identifier it is was declared as (one step). */
export function tsResolved(node: SgNode | null | undefined): SgNode | undefined {
  if (!node) return undefined;
  const unwrapped = unwrapTsExpression(node);
  if (unwrapped.kind() === 'identifier') return tsDeclaredValue(unwrapped) ?? unwrapped;
  return unwrapped;
}
