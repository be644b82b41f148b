// Small same-function flow helpers for the reliability rules (unbounded growth, races, lookups
// dereferenced without a check). Deliberately syntactic: straight-line code in one block.
import type { SgNode } from '@ast-grep/napi';

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Named children that are not comments. */
export function namedChildren(node: SgNode | null | undefined): SgNode[] {
  return node ? node.children().filter((c) => c.isNamed() && c.kind() !== 'comment') : [];
}

/** The statements that follow `statement` in its block, in order. */
export function followingStatements(statement: SgNode): SgNode[] {
  const out: SgNode[] = [];
  let next = statement.next();
  while (next) {
    if (next.isNamed() && next.kind() !== 'comment') out.push(next);
    next = next.next();
  }
  return out;
}

/** Whether `inner` lies inside `outer` (or is it). */
export function within(inner: SgNode, outer: SgNode): boolean {
  const a = inner.range();
  const b = outer.range();
  return a.start.index >= b.start.index && a.end.index <= b.end.index;
}

/** Identifiers named `name` inside `node`, in source order. */
export function identifierUses(node: SgNode, name: string): SgNode[] {
  const uses = node.findAll({ rule: { kind: 'identifier', regex: `^${escapeRegExp(name)}$` } });
  if (node.kind() === 'identifier' && node.text() === name) uses.unshift(node);
  return uses;
}
