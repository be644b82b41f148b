// Functions, methods and classes as units of code: what they are called and where to point at them.
// Shared by the size, typing and documentation rules.
import type { SgNode } from '@ast-grep/napi';
import type { ReportRange } from '../../core/rule.js';

export const TS_FUNCTION_KINDS = [
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'generator_function',
  'arrow_function',
  'method_definition',
] as const;

/** Start/end byte offsets, for containment tests without walking ancestors across the native boundary. */
export interface Span {
  node: SgNode;
  start: number;
  end: number;
  /** 0-based lines. */
  startLine: number;
  endLine: number;
}

/** Several rules visit the same function and class nodes; the engine hands each the same object. */
const spanCache = new WeakMap<SgNode, Span>();

export function spanOf(node: SgNode): Span {
  let span = spanCache.get(node);
  if (!span) {
    const { start, end } = node.range();
    span = { node, start: start.index, end: end.index, startLine: start.line, endLine: end.line };
    spanCache.set(node, span);
  }
  return span;
}

/**
 * For items in document order, the innermost of `containers` (pre-order, properly nested) holding
 * each one, or undefined at top level: one sweep instead of an ancestor walk per item.
 */
export function innermostContainers(containers: readonly Span[], items: readonly Span[]): (Span | undefined)[] {
  const stack: Span[] = [];
  let next = 0;
  return items.map((item) => {
    while (next < containers.length && containers[next].start <= item.start) {
      const container = containers[next++];
      while (stack.length && stack[stack.length - 1].end <= container.start) stack.pop();
      stack.push(container);
    }
    while (stack.length && stack[stack.length - 1].end <= item.start) stack.pop();
    // An item is not inside itself (a function asked about its own parent).
    for (let i = stack.length - 1; i >= 0; i--) {
      const candidate = stack[i];
      if (candidate.start === item.start && candidate.end === item.end) continue;
      if (candidate.start <= item.start && item.end <= candidate.end) return candidate;
    }
    return undefined;
  });
}

function shortText(text: string, max = 40): string | undefined {
  return text.length <= max && !text.includes('\n') ? text : undefined;
}

/** How a TS/JS function is known: its own name, the variable/property/field it is stored in. */
export function tsFunctionName(fn: SgNode): { name?: string; nameNode?: SgNode } {
  const own = fn.field('name');
  if (own) return { name: own.text(), nameNode: own };
  let holder = fn.parent();
  while (holder && (holder.kind() === 'parenthesized_expression' || holder.kind() === 'as_expression' || holder.kind() === 'satisfies_expression')) holder = holder.parent();
  if (!holder) return {};
  const kind = holder.kind();
  const nameNode =
    kind === 'variable_declarator' || kind === 'public_field_definition' || kind === 'field_definition'
      ? holder.field('name') ?? holder.field('property')
      : kind === 'pair'
        ? holder.field('key')
        : kind === 'assignment_expression'
          ? holder.field('left')
          : null;
  const name = nameNode ? shortText(nameNode.text()) : undefined;
  return name && nameNode ? { name, nameNode } : {};
}

/** `anonymous function passed to \`router.get\``, or undefined when not a call argument. */
export function tsCallbackOf(fn: SgNode): string | undefined {
  const args = fn.parent();
  const call = args?.kind() === 'arguments' ? args.parent() : undefined;
  if (!call || (call.kind() !== 'call_expression' && call.kind() !== 'new_expression')) return undefined;
  const callee = shortText((call.field('function') ?? call.field('constructor'))?.text() ?? '');
  return callee ? `callback passed to \`${callee}\`` : undefined;
}

/** The first line of a node, as a range: where to point at something whose name is not a node. */
export function firstLineRange(node: SgNode, lines: readonly string[]): ReportRange {
  const { start } = node.range();
  const line = lines[start.line] ?? '';
  return { line: start.line + 1, column: start.column + 1, endLine: start.line + 1, endColumn: Math.max(line.length + 1, start.column + 2) };
}

/** The class a Python `def` is a method of (directly, looking through decorators), if any. */
export function pyEnclosingClass(fn: SgNode): SgNode | undefined {
  let parent = fn.parent();
  if (parent?.kind() === 'decorated_definition') parent = parent.parent();
  if (parent?.kind() !== 'block') return undefined;
  const owner = parent.parent();
  return owner?.kind() === 'class_definition' ? owner : undefined;
}

/** Decorator names on a Python definition (`property`, `x.setter`, `overload`, `typing.overload`). */
export function pyDecorators(definition: SgNode): string[] {
  const parent = definition.parent();
  if (parent?.kind() !== 'decorated_definition') return [];
  return parent
    .children()
    .filter((c) => c.kind() === 'decorator')
    .map((d) => d.text().replace(/^@\s*/, '').replace(/\(.*$/s, '').trim());
}

/** A Python `def` read from the source lines: its name, where the name is, and its parameters' text. */
export interface PyDefHeader {
  name: string;
  /** 0-based line and column of the name. */
  line: number;
  column: number;
  /** Each parameter as written (`symbol: str`, `limit=100`, `*args`), comments dropped. */
  parameters: string[];
}

const DEF_HEADER = /^(\s*(?:async\s+)?def\s+)(\w+)\s*\(/;

/**
 * Reads a `def` header from the lines (no tree walking: tree calls cross the native boundary and
 * cost far more than scanning a few characters). Undefined when the line is not a `def`.
 */
export function pyDefHeader(lines: readonly string[], defLine: number): PyDefHeader | undefined {
  const match = DEF_HEADER.exec(lines[defLine] ?? '');
  if (!match) return undefined;
  const parameters: string[] = [];
  let current = '';
  let depth = 0;
  let quote = '';
  let line = defLine;
  let index = match[0].length;
  for (; line < lines.length && line < defLine + 200; line++, index = 0) {
    const text = lines[line];
    for (; index < text.length; index++) {
      const ch = text[index];
      if (quote) {
        if (ch === '\\') {
          current += ch + (text[index + 1] ?? '');
          index++;
          continue;
        }
        if (text.startsWith(quote, index)) {
          current += quote;
          index += quote.length - 1;
          quote = '';
          continue;
        }
        current += ch;
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        quote = text.startsWith(ch.repeat(3), index) ? ch.repeat(3) : ch;
        current += quote;
        index += quote.length - 1;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        if (depth === 0) {
          if (current.trim()) parameters.push(current.trim());
          return { name: match[2], line: defLine, column: match[1].length, parameters };
        }
        depth--;
      } else if (ch === ',' && depth === 0) {
        if (current.trim()) parameters.push(current.trim());
        current = '';
        continue;
      }
      current += ch;
    }
    current += ' ';
  }
  return undefined;
}

/** Decorator lines right above a line (`@staticmethod`, `@overload`), names only, nearest last. */
export function pyDecoratorsAbove(lines: readonly string[], defLine: number): string[] {
  const names: string[] = [];
  for (let line = defLine - 1; line >= 0; line--) {
    const text = lines[line].trim();
    if (text.startsWith('#')) continue;
    if (!text.startsWith('@')) break;
    names.unshift(text.slice(1).replace(/\(.*$/s, '').trim());
  }
  return names;
}
