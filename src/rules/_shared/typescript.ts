// Small helpers over tree-sitter-typescript/javascript nodes, named after what they return.
import type { SgNode } from '@ast-grep/napi';
import { DIRECTIVE_COMMENT } from './python.js';

export const FUNCTION_KINDS = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'function',
]);

/** Statements of a statement block, comments left out. */
export function blockStatements(block: SgNode | null | undefined): SgNode[] {
  return block ? block.children().filter((child) => child.isNamed() && child.kind() !== 'comment') : [];
}

/** Whether a comment that explains something (not a tool directive) sits inside the node. */
export function hasComment(node: SgNode): boolean {
  return node.findAll({ rule: { kind: 'comment' } }).some((comment) => !DIRECTIVE_COMMENT.test(comment.text()));
}

export function throwsInside(node: SgNode): boolean {
  return node.find({ rule: { kind: 'throw_statement' } }) !== null;
}

/** The enclosing function-like node, if any. */
export function enclosingFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())));
}

export function isAsyncFunction(fn: SgNode): boolean {
  return fn.children().some((child) => child.kind() === 'async');
}

/** Callee text of a call expression (`fs.readFileSync`, `exec`). */
export function calleeText(call: SgNode): string {
  return call.field('function')?.text() ?? '';
}

/** Arguments of a call expression, comments left out. */
export function callArguments(call: SgNode): SgNode[] {
  const args = call.field('arguments');
  return args ? args.children().filter((c) => c.isNamed() && c.kind() !== 'comment') : [];
}

/** A property `key: value` of an object literal, by key name. */
export function objectProperty(object: SgNode, key: string): SgNode | undefined {
  if (object.kind() !== 'object') return undefined;
  for (const pair of object.children()) {
    if (pair.kind() === 'pair') {
      const name = pair.field('key')?.text().replace(/^['"]|['"]$/g, '');
      if (name === key) return pair.field('value') ?? undefined;
    }
    if (pair.kind() === 'shorthand_property_identifier' && pair.text() === key) return pair;
  }
  return undefined;
}
