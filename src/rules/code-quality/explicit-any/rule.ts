import type { SgNode } from '@ast-grep/napi';
import { defineRule } from '../../../core/rule.js';

/** Declarations whose direct `type_annotation` child is a return type. */
const RETURNING = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'method_signature',
  'function_signature',
  'abstract_method_signature',
  'generator_function_declaration',
  'call_signature',
  'construct_signature',
]);

/** `.d.ts` shims describe untyped JavaScript, often generated: not reported, not counted. */
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

const PARAMETERS = new Set(['required_parameter', 'optional_parameter']);

function sameNode(a: SgNode | null | undefined, b: SgNode | null | undefined): boolean {
  if (!a || !b) return false;
  const ra = a.range();
  const rb = b.range();
  return ra.start.index === rb.start.index && ra.end.index === rb.end.index && a.kind() === b.kind();
}

/** A function's name, or the variable/property an arrow or function expression is assigned to. */
function functionName(fn: SgNode): string | undefined {
  const own = fn.field('name')?.text();
  if (own) return own;
  const holder = fn.parent();
  if (holder?.kind() === 'variable_declarator') return holder.field('name')?.text();
  if (holder?.kind() === 'pair') return holder.field('key')?.text();
  if (holder?.kind() === 'public_field_definition') return holder.field('name')?.text();
  if (holder?.kind() === 'assignment_expression') {
    const left = holder.field('left')?.text();
    return left && left.length <= 40 ? left : undefined;
  }
  return undefined;
}

function parameterName(parameter: SgNode): string {
  const pattern = parameter.field('pattern') ?? parameter.children().find((c) => c.isNamed());
  if (!pattern) return 'parameter';
  if (pattern.kind() === 'identifier') return `parameter \`${pattern.text()}\``;
  if (pattern.kind() === 'rest_pattern') return `rest parameter \`${pattern.text()}\``;
  if (pattern.kind() === 'this') return 'the `this` parameter';
  return 'a destructured parameter';
}

/** A short type's text for the message; empty for the bare `any` or a type too long to quote. */
function shortType(node: SgNode): string {
  const text = node.text().replace(/^:\s*/, '');
  return text === 'any' || text.length > 60 || text.includes('\n') ? '' : text;
}

/** `(Promise<any>)` after the site when the annotation is more than the bare `any`. */
function inType(annotation: SgNode | undefined): string {
  const text = annotation ? shortType(annotation) : '';
  return text ? ` (\`${text}\`)` : '';
}

/**
 * Where an `any` sits, in words, or undefined when it is not reported: type-parameter constraints
 * (`T extends (...args: any[]) => any`) and the `extends` test of a conditional type are the
 * standard idiom for "any function/any array" (TypeScript's own `ReturnType` is written that way),
 * and a `catch (e: any)` only restates the language's historical default for caught values.
 */
function siteOf(anyNode: SgNode): string | undefined {
  let child = anyNode;
  for (const parent of anyNode.ancestors()) {
    if (parent.kind() === 'constraint') return undefined;
    // `keyof any` is spelled-out `PropertyKey` (string | number | symbol), not a hole in the types.
    if (parent.kind() === 'index_type_query' && sameNode(child, anyNode)) return undefined;
    if (parent.kind() === 'conditional_type' && sameNode(parent.field('right'), child)) return undefined;
    child = parent;
  }
  child = anyNode;
  for (const parent of anyNode.ancestors()) {
    const kind = parent.kind();
    if (kind === 'as_expression') {
      const target = parent.children().find((c) => c.isNamed())?.text() ?? 'value';
      const shownTarget = target.length <= 40 && !target.includes('\n') ? ` of \`${target}\`` : '';
      if (sameNode(child, anyNode)) return `\`as any\` cast${shownTarget}`;
      const castType = shortType(child);
      return `cast${shownTarget}${castType ? ` to \`${castType}\`` : ''}`;
    }
    if (kind === 'type_assertion') return child.text() === '<any>' ? '`<any>` type assertion' : `type assertion to \`${child.text().slice(1, -1)}\``;
    if (kind === 'satisfies_expression') return 'a `satisfies` type';
    if (kind === 'default_type') {
      const name = parent.parent()?.children().find((c) => c.kind() === 'type_identifier')?.text();
      return `the default of type parameter \`${name ?? '?'}\``;
    }
    if (kind === 'type_alias_declaration') return `type alias \`${parent.field('name')?.text() ?? '?'}\``;
    if (kind === 'index_signature') return `an index signature${inType(child)}`;
    if (kind === 'extends_clause' || kind === 'extends_type_clause' || kind === 'implements_clause') {
      const heritage = parent.text();
      return `the type arguments of \`${heritage.length <= 60 && !heritage.includes('\n') ? heritage : heritage.split(/\s/)[0]}\``;
    }
    if (kind === 'type_arguments') {
      const owner = parent.parent();
      if (owner?.kind() === 'call_expression' || owner?.kind() === 'new_expression') {
        const callee = (owner.field('function') ?? owner.field('constructor'))?.text() ?? '';
        return `the type argument of \`${callee.length <= 40 ? callee : 'call'}\``;
      }
    }
    if (kind === 'type_annotation') {
      const owner = parent.parent();
      if (!owner) return undefined;
      const ownerKind = owner.kind();
      if (ownerKind === 'catch_clause') return undefined;
      if (PARAMETERS.has(String(ownerKind))) {
        // `cb: (err: any) => void`: name the outer declaration, not the callback's own parameter.
        if (owner.parent()?.parent()?.kind() === 'function_type' || owner.parent()?.parent()?.kind() === 'constructor_type') {
          child = parent;
          continue;
        }
        return `${parameterName(owner)}${inType(parent)}`;
      }
      if (ownerKind === 'variable_declarator') return `variable \`${owner.field('name')?.text() ?? '?'}\`${inType(parent)}`;
      if (ownerKind === 'public_field_definition' || ownerKind === 'property_signature') {
        return `property \`${owner.field('name')?.text() ?? '?'}\`${inType(parent)}`;
      }
      if (ownerKind === 'index_signature') return `an index signature${inType(parent)}`;
      if (RETURNING.has(String(ownerKind))) {
        const name = functionName(owner);
        const of = name ? ` of \`${name}\`` : ownerKind === 'call_signature' ? ' of a call signature' : ownerKind === 'construct_signature' ? ' of a construct signature' : '';
        return `the return type${of}${inType(parent)}`;
      }
      return `a type annotation${inType(parent)}`;
    }
    child = parent;
  }
  return 'a type';
}

export default defineRule({
  meta: {
    id: 'code-quality/explicit-any',
    title: 'Explicit `any` type',
    area: 'code-quality',
    severity: 'low',
    type: 'consistency',
    effort: 'small',
    confidence: 'high',
    languages: ['ts'],
    since: '0.1.0',
    description: 'An explicit `any` in a type annotation, return type, type argument or cast, which switches type checking off there.',
    why:
      '`any` turns the compiler off for everything it touches: a `context?: any` parameter accepts anything and a `Promise<any>` ' +
      'return type lets every caller read fields that may not exist, so the errors TypeScript exists to catch reach production ' +
      '(seed 004: `generateApp(prompt: string, context?: any): Promise<any>`). Each occurrence is reported with the construct it ' +
      'sits in. Not reported: `unknown` (the safe alternative), the word in strings, comments or names, `.d.ts` declaration files ' +
      '(shims describing untyped JavaScript, often generated), `catch (e: any)` (the language\'s own default for caught values; ' +
      'prefer `unknown` there but it is not a new hole), `keyof any` (another spelling of `PropertyKey`), type-parameter constraints and conditional-type tests such as ' +
      '`T extends (...args: any[]) => any` (the idiom TypeScript\'s own `ReturnType` uses), and test files. The ' +
      '`explicit-any-count` metric counts exactly the reported occurrences, over all TypeScript files.',
    recommendation:
      'Write the real type (an interface for `context`, `Promise<GeneratedApp>`), use a generic parameter, or use `unknown` and ' +
      'narrow it before use. For casts, fix the source type instead of `as any`; where a library\'s types are wrong, declare the ' +
      'missing part once in a typed wrapper.',
    examples: [
      {
        language: 'ts',
        bad: 'export class AppGenerator {\n  async generateApp(prompt: string, context?: any): Promise<any> {\n    return this.llm.complete(prompt, context);\n  }\n}\n',
        good:
          'interface AppContext {\n  title?: string;\n  framework?: string;\n}\n\nexport class AppGenerator {\n' +
          '  async generateApp(prompt: string, context?: AppContext): Promise<GeneratedApp> {\n    return this.llm.complete(prompt, context);\n  }\n}\n',
      },
    ],
    references: ['seed 004 (code quality: extensive use of `any`)', 'typescript-eslint no-explicit-any', 'Biome noExplicitAny'],
    metrics: [
      {
        id: 'explicit-any-count',
        label: 'Explicit `any` occurrences',
        kind: 'count',
        target: 0,
        note: 'Every reported `any` (declarations, return types, type arguments, casts): the holes left in the type checking.',
      },
    ],
  },
  onFile(context) {
    // Every TypeScript file counts as measured (0 when clean); JavaScript cannot spell `any`.
    if ((context.file.language === 'typescript' || context.file.language === 'tsx') && !DECLARATION_FILE.test(context.file.path)) {
      context.measure('explicit-any-count', 0);
    }
  },
  visitors: {
    ts: {
      predefined_type(node, context) {
        if (node.text() !== 'any' || DECLARATION_FILE.test(context.file.path)) return;
        const site = siteOf(node);
        if (!site) return;
        const message = site.startsWith('`as any`') || site.startsWith('`<any>`')
          ? `${site[0].toUpperCase()}${site.slice(1)} switches off type checking for that value.`
          : `Explicit \`any\` in ${site}.`;
        context.report({ node, message });
        context.measure('explicit-any-count', 1);
      },
    },
  },
});
