// Groups every rule's interest by node kind, so one native traversal per file finds every
// candidate node and each rule only sees the kinds it asked for (oxc/ESLint-style dispatch).
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { CompiledRule, ParsedFamily, RuleContext } from '../core/rule.js';
import type { SourceLanguage } from '../core/types.js';
import { familyOf } from '../discover/language.js';
import { grammarHasKind, parseSource } from '../parse/parse.js';

export interface NodeHandler {
  rule: CompiledRule;
  run(node: SgNode, context: RuleContext): void;
}

export interface DispatchTable {
  /** Kind → handlers interested in nodes of that kind. */
  byKind: Map<string, NodeHandler[]>;
  /** One rule that finds every node of every interesting kind, and syntax errors, in a single traversal. */
  candidateQuery: NapiConfig;
  /** Declarative rules whose node kinds could not be inferred: run with their own findAll. */
  unkeyed: { rule: CompiledRule; config: NapiConfig }[];
}

type RuleObject = Record<string, unknown>;

/** Python patterns use ast-grep's expando character for metavariables. */
function patternSource(pattern: string, language: SourceLanguage): string {
  if (language !== 'python') return pattern;
  return pattern.replace(/\$(\$\$)?([A-Z_][A-Z0-9_]*)/g, (_m, multi: string | undefined, name: string) => `µ${multi ? 'µµ' : ''}${name}`);
}

/** The kind ast-grep would give a pattern: the innermost node spanning the whole snippet. */
export function kindOfPattern(pattern: string, language: SourceLanguage): string | undefined {
  const root = parseSource(language, patternSource(pattern, language)).root();
  let node: SgNode = root;
  for (;;) {
    const named = node.children().filter((child) => child.isNamed());
    if (named.length !== 1) break;
    const only = named[0];
    if (only.text().replace(/;$/, '').trim() !== node.text().replace(/;$/, '').trim()) break;
    node = only;
  }
  if (node === root || node.kind() === 'ERROR') return undefined;
  return String(node.kind());
}

export function kindsOfRule(rule: RuleObject, language: SourceLanguage): string[] | undefined {
  if (typeof rule.kind === 'string') return [rule.kind];
  if (typeof rule.pattern === 'string') {
    const kind = kindOfPattern(rule.pattern, language);
    return kind ? [kind] : undefined;
  }
  if (rule.pattern && typeof rule.pattern === 'object') {
    const selector = (rule.pattern as RuleObject).selector;
    return typeof selector === 'string' ? [selector] : undefined;
  }
  if (Array.isArray(rule.any)) {
    const kinds = new Set<string>();
    for (const item of rule.any as RuleObject[]) {
      const inner = kindsOfRule(item, language);
      if (!inner) return undefined;
      inner.forEach((kind) => kinds.add(kind));
    }
    return [...kinds];
  }
  if (Array.isArray(rule.all)) {
    for (const item of rule.all as RuleObject[]) {
      const inner = kindsOfRule(item, language);
      if (inner) return inner;
    }
  }
  return undefined;
}

function renderMessage(template: string, node: SgNode, config: NapiConfig): string {
  if (!template.includes('$')) return template;
  const env = node.find(config) ?? node;
  return template.replace(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => {
    const match = env.getMatch(name);
    return match ? match.text() : whole;
  });
}

export function buildDispatchTable(rules: readonly CompiledRule[], language: SourceLanguage): DispatchTable {
  const family = familyOf(language) as ParsedFamily;
  const byKind = new Map<string, NodeHandler[]>();
  const unkeyed: DispatchTable['unkeyed'] = [];
  const add = (kind: string, handler: NodeHandler) => {
    // A TypeScript-only kind simply never occurs in a JavaScript file.
    if (!grammarHasKind(language, kind)) return;
    const list = byKind.get(kind);
    if (list) list.push(handler);
    else byKind.set(kind, [handler]);
  };
  for (const rule of rules) {
    const visitors = rule.visitors[family];
    if (visitors) {
      for (const [kind, visit] of Object.entries(visitors)) add(kind, { rule, run: visit });
    }
    const config = rule.matches[family];
    if (!config) continue;
    const kinds = kindsOfRule(config.rule as RuleObject, language);
    if (!kinds) {
      unkeyed.push({ rule, config });
      continue;
    }
    const message = rule.message ?? rule.meta.title;
    const handler: NodeHandler = {
      rule,
      run(node, context) {
        if (node.matches(config)) context.report({ node, message: renderMessage(message, node, config) });
      },
    };
    for (const kind of kinds) add(kind, handler);
  }
  // The same traversal also finds syntax errors: ERROR nodes, and MISSING tokens (zero-width,
  // so empty text), which tree-sitter inserts where a `)` or `:` should have been.
  const candidateQuery = { rule: { any: [...[...byKind.keys()].map((kind) => ({ kind })), { kind: 'ERROR' }, { regex: '^$' }] } };
  return { byKind, candidateQuery, unkeyed };
}

/** Runs the declarative rules that could not be keyed by kind, each with its own traversal. */
export function runUnkeyed(table: DispatchTable, root: SgNode, contextFor: (rule: CompiledRule) => RuleContext): void {
  for (const { rule, config } of table.unkeyed) {
    const context = contextFor(rule);
    const message = rule.message ?? rule.meta.title;
    for (const node of root.findAll(config)) context.report({ node, message: renderMessage(message, node, config) });
  }
}
