// The modules a file imports, read from import statements and `require`/`import()` calls at the
// top level (and inside top-level `try`/`if` blocks for Python's optional imports). Feeds stack
// detection; the cross-file project model will resolve them to files.
import type { SgNode } from '@ast-grep/napi';
import type { ParsedFamily } from '../core/rule.js';

const PY_IMPORTS = { rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } };
const JS_DYNAMIC_IMPORTS = { rule: { kind: 'call_expression', has: { field: 'function', regex: '^(require|import)$' } } };

function unquote(literal: string): string | undefined {
  const match = /^(['"`])([^'"`$]*)\1$/.exec(literal.trim());
  return match ? match[2] : undefined;
}

function pythonModules(statement: SgNode, into: Set<string>): void {
  if (statement.kind() === 'import_from_statement') {
    const module = statement.field('module_name')?.text();
    if (module && !module.startsWith('.')) into.add(module);
    return;
  }
  for (const item of statement.children()) {
    if (item.kind() === 'dotted_name') into.add(item.text());
    else if (item.kind() === 'aliased_import') {
      const name = item.field('name')?.text();
      if (name) into.add(name);
    }
  }
}

function javascriptModules(statement: SgNode, into: Set<string>): void {
  const kind = String(statement.kind());
  if (kind === 'import_statement' || kind === 'export_statement') {
    const source = statement.field('source');
    const module = source ? unquote(source.text()) : undefined;
    if (module) into.add(module);
    if (kind === 'import_statement') return;
  }
  const text = statement.text();
  if (!text.includes('require') && !text.includes('import(')) return;
  for (const call of statement.findAll(JS_DYNAMIC_IMPORTS)) {
    const first = call.field('arguments')?.children().find((child) => child.isNamed());
    const module = first ? unquote(first.text()) : undefined;
    if (module) into.add(module);
  }
}

export function collectImports(root: SgNode, family: ParsedFamily): string[] {
  const found = new Set<string>();
  for (const statement of root.children()) {
    const kind = String(statement.kind());
    if (family === 'py') {
      if (kind === 'import_statement' || kind === 'import_from_statement') pythonModules(statement, found);
      else if (kind === 'try_statement' || kind === 'if_statement') statement.findAll(PY_IMPORTS).forEach((s) => pythonModules(s, found));
      continue;
    }
    if (kind === 'import_statement' || kind === 'export_statement' || kind === 'lexical_declaration' || kind === 'variable_declaration' || kind === 'expression_statement') {
      javascriptModules(statement, found);
    }
  }
  return [...found].sort();
}
