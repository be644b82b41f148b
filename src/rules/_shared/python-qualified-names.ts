// What a Python name refers to, from the module's own import statements: `t.sleep` after
// `import time as t` is `time.sleep`; `urlopen` after `from urllib.request import urlopen` is
// `urllib.request.urlopen`. No type inference: a name nobody imported stays unresolved.
import type { SgNode } from '@ast-grep/napi';

export type ImportAliases = ReadonlyMap<string, string>;

const cache = new WeakMap<object, ImportAliases>();

/** Local name → qualified name for every import in the module, at any depth (function-level imports too). */
export function importAliases(anyNode: SgNode, cacheKey?: object): ImportAliases {
  const cached = cacheKey ? cache.get(cacheKey) : undefined;
  if (cached) return cached;
  const aliases = new Map<string, string>();
  const root = anyNode.getRoot().root();
  for (const statement of root.findAll({ rule: { any: [{ kind: 'import_statement' }, { kind: 'import_from_statement' }] } })) {
    if (statement.kind() === 'import_statement') {
      for (const item of statement.children()) {
        if (item.kind() === 'dotted_name') {
          // `import urllib.request` binds `urllib`; dotted access then spells the full name.
          const first = item.text().split('.')[0];
          aliases.set(first, first);
        } else if (item.kind() === 'aliased_import') {
          const name = item.field('name')?.text();
          const alias = item.field('alias')?.text();
          if (name && alias) aliases.set(alias, name);
        }
      }
      continue;
    }
    const moduleNode = statement.field('module_name');
    const module = moduleNode?.text();
    if (!moduleNode || !module || module.startsWith('.')) continue;
    const moduleStart = moduleNode.range().start.index;
    for (const item of statement.children()) {
      if (item.range().start.index === moduleStart) continue;
      if (item.kind() === 'dotted_name') {
        aliases.set(item.text(), `${module}.${item.text()}`);
      } else if (item.kind() === 'aliased_import') {
        const name = item.field('name')?.text();
        const alias = item.field('alias')?.text();
        if (name && alias) aliases.set(alias, `${module}.${name}`);
      }
    }
  }
  if (cacheKey) cache.set(cacheKey, aliases);
  return aliases;
}

/**
 * The qualified dotted name of an expression (`t.sleep` → `time.sleep`), or undefined when it is
 * not a plain dotted name or its first part was never imported. Builtins listed in `builtins`
 * resolve to themselves unless an import rebinds them (`from aiofiles import open`).
 */
export function qualifiedName(expression: SgNode | null | undefined, aliases: ImportAliases, builtins: ReadonlySet<string> = new Set()): string | undefined {
  if (!expression) return undefined;
  const kind = expression.kind();
  if (kind !== 'identifier' && kind !== 'attribute') return undefined;
  const text = expression.text();
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(text)) return undefined;
  const [first, ...rest] = text.split('.');
  const resolved = aliases.get(first);
  if (resolved) return [resolved, ...rest].join('.');
  if (builtins.has(first)) return text;
  return undefined;
}
