// Small helpers over tree-sitter-python nodes, named after what they return.
import type { SgNode } from '@ast-grep/napi';

const BROAD_EXCEPTIONS = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);

/** The exception type names an `except` clause catches; empty for a bare `except:`. */
export function caughtExceptionNames(exceptClause: SgNode): string[] {
  const named = exceptClause.children().filter((child) => child.isNamed() && child.kind() !== 'comment' && child.kind() !== 'block');
  if (named.length === 0) return [];
  let typeNode = named[0];
  if (typeNode.kind() === 'as_pattern') typeNode = typeNode.children().find((c) => c.isNamed()) ?? typeNode;
  if (typeNode.kind() === 'tuple' || typeNode.kind() === 'parenthesized_expression') {
    return typeNode.children().filter((c) => c.isNamed()).map((c) => c.text());
  }
  return [typeNode.text()];
}

/** Bare `except:`, `except Exception`, `except BaseException`, or a tuple holding one of them. */
export function isBroadExcept(exceptClause: SgNode): boolean {
  const names = caughtExceptionNames(exceptClause);
  return names.length === 0 || names.some((name) => BROAD_EXCEPTIONS.has(name));
}

/** The name bound by `except X as name`, if any. */
export function boundExceptionName(exceptClause: SgNode): string | undefined {
  const pattern = exceptClause.children().find((c) => c.kind() === 'as_pattern');
  return pattern?.find({ rule: { kind: 'as_pattern_target' } })?.text();
}

export function blockOf(node: SgNode): SgNode | undefined {
  return node.children().find((child) => child.kind() === 'block');
}

/** Statements of a block, comments left out. */
export function statementsOf(block: SgNode | undefined): SgNode[] {
  return block ? block.children().filter((child) => child.isNamed() && child.kind() !== 'comment') : [];
}

/** Tool directives are not explanations: they are handled (and recorded) as suppressions. */
export const DIRECTIVE_COMMENT = /\b(nosec|probity-ignore|noqa|type:\s*ignore|pylint:|eslint-disable|@ts-)/;

/** Whether a comment that explains something (not a tool directive) sits inside the node. */
export function hasComment(node: SgNode): boolean {
  return node.findAll({ rule: { kind: 'comment' } }).some((comment) => !DIRECTIVE_COMMENT.test(comment.text()));
}

/** Whether the subtree re-raises (`raise`, `raise X from e`). */
export function raises(node: SgNode): boolean {
  return node.find({ rule: { kind: 'raise_statement' } }) !== null;
}

/** The dotted name of a call's callee (`logger.warning`, `os.getenv`), or its text. */
export function calleeName(call: SgNode): string {
  const callee = call.field('function');
  return callee ? callee.text() : '';
}

/** The enclosing function definition, if any (async or not). */
export function enclosingFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => a.kind() === 'function_definition');
}

export function isAsyncFunction(functionDefinition: SgNode): boolean {
  return functionDefinition.children().some((child) => child.kind() === 'async');
}

/** Keyword argument value of a call by name (`shell=True` → the `True` node). */
export function keywordArgument(call: SgNode, name: string): SgNode | undefined {
  const args = call.field('arguments');
  if (!args) return undefined;
  for (const arg of args.children()) {
    if (arg.kind() !== 'keyword_argument') continue;
    if (arg.field('name')?.text() === name) return arg.field('value') ?? undefined;
  }
  return undefined;
}

/** Positional arguments of a call, in order. */
export function positionalArguments(call: SgNode): SgNode[] {
  const args = call.field('arguments');
  if (!args) return [];
  return args.children().filter((c) => c.isNamed() && c.kind() !== 'keyword_argument' && c.kind() !== 'comment');
}
