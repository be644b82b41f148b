// What a Python name refers to, from the module's own import statements: `t.sleep` after
// `import time as t` is `time.sleep`; `urlopen` after `from urllib.request import urlopen` is
// `urllib.request.urlopen`. No type inference: a name nobody imported stays unresolved.
import type { SgNode } from '@ast-grep/napi';
import type { RuleContext } from '../../core/rule.js';
import { pyBindingsFor } from './static-values.js';

export type ImportAliases = ReadonlyMap<string, string>;

/** Local name → qualified name for every import in the module (shared per file by all rules). */
export function importAliases(anyNode: SgNode, context: RuleContext): ImportAliases {
  return pyBindingsFor(context.file, anyNode, context.source);
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
