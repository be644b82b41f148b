// The TS/JS half of connection-pool-disabled: a database client or pool created inside a request
// handler (one pool per request), and pools capped at one connection.
import type { SgNode } from '@ast-grep/napi';
import type { RuleContext } from '../../../core/rule.js';
import { tsBindingsFor, tsExpressionBinding, tsStaticString, type TsBinding } from '../../_shared/static-values.js';
import { FUNCTION_KINDS, callArguments, objectProperty } from '../../_shared/typescript.js';
import { tsRouteHandlerLabel } from '../../_shared/ts-route-handlers.js';

interface Factory {
  /** What one call builds, for the message. */
  builds: string;
  /** The option that caps the pool size, and where the config object sits. */
  cap?: { key: string; nested?: string };
}

/** `module:export` (`*`/`default` = the module itself) → what calling or constructing it builds. */
const FACTORIES: Record<string, Factory> = {
  'pg:Pool': { builds: 'a new connection pool', cap: { key: 'max' } },
  'pg:Client': { builds: 'a new database connection' },
  'pg-pool:default': { builds: 'a new connection pool', cap: { key: 'max' } },
  'mysql:createPool': { builds: 'a new connection pool', cap: { key: 'connectionLimit' } },
  'mysql2:createPool': { builds: 'a new connection pool', cap: { key: 'connectionLimit' } },
  'mysql2/promise:createPool': { builds: 'a new connection pool', cap: { key: 'connectionLimit' } },
  'mysql:createConnection': { builds: 'a new database connection' },
  'mysql2:createConnection': { builds: 'a new database connection' },
  'mysql2/promise:createConnection': { builds: 'a new database connection' },
  '@prisma/client:PrismaClient': { builds: 'a new Prisma client with its own connection pool' },
  'ioredis:default': { builds: 'a new Redis connection' },
  'ioredis:Redis': { builds: 'a new Redis connection' },
  'redis:createClient': { builds: 'a new Redis connection' },
  '@redis/client:createClient': { builds: 'a new Redis connection' },
  'knex:default': { builds: 'a new knex instance with its own connection pool', cap: { key: 'max', nested: 'pool' } },
  'knex:knex': { builds: 'a new knex instance with its own connection pool', cap: { key: 'max', nested: 'pool' } },
  'knex:*': { builds: 'a new knex instance with its own connection pool', cap: { key: 'max', nested: 'pool' } },
  'sequelize:Sequelize': { builds: 'a new Sequelize instance with its own connection pool', cap: { key: 'max', nested: 'pool' } },
  'mongodb:MongoClient': { builds: 'a new MongoDB client with its own connection pool', cap: { key: 'maxPoolSize' } },
  'postgres:default': { builds: 'a new connection pool', cap: { key: 'max' } },
  'postgres:*': { builds: 'a new connection pool', cap: { key: 'max' } },
};

/** Serverless functions and external poolers are where one connection per instance is the documented setup. */
const DELIBERATE_SMALL_POOL = /pg_?bouncer|supavisor|rds[ -]?proxy|serverless|lambda|cloud ?functions?|vercel|netlify|edge|worker/i;

function factoryOf(node: SgNode, context: RuleContext): { factory: Factory; name: string } | undefined {
  const target = node.kind() === 'new_expression' ? node.field('constructor') : node.field('function');
  if (!target || !/^[\w$.]+$/.test(target.text())) return undefined;
  const binding: TsBinding | undefined = tsExpressionBinding(target, tsBindingsFor(context.file, node, context.source));
  if (!binding) return undefined;
  const module = binding.module;
  // `import pg from 'pg'; new pg.Pool()` resolves to pg:Pool; `new Redis()` from `import Redis from 'ioredis'` to ioredis:default.
  const factory = FACTORIES[`${module}:${binding.imported}`];
  return factory ? { factory, name: target.text() } : undefined;
}

const NEXT_HANDLER = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/;

function functionName(fn: SgNode): string | undefined {
  const own = fn.field('name')?.text();
  if (own) return own;
  const parent = fn.parent();
  return parent?.kind() === 'variable_declarator' ? parent.field('name')?.text() : undefined;
}

/** The route a function serves, when it is a request handler. */
function routeOf(fn: SgNode, context: RuleContext): string | undefined {
  const route = tsRouteHandlerLabel(fn);
  if (route) return route;
  const name = functionName(fn) ?? '';
  const exported = fn.parent()?.kind() === 'export_statement' || fn.parent()?.parent()?.parent()?.kind() === 'export_statement';
  if (exported && NEXT_HANDLER.test(name) && /(^|\/)app\/(.*\/)?route\.[jt]sx?$/.test(context.file.path)) return `route handler \`${name}\``;
  if (/(^|\/)pages\/api\//.test(context.file.path) && fn.parent()?.kind() === 'export_statement' && /^export\s+default\b/.test(fn.parent()!.text())) {
    return 'API route handler';
  }
  return undefined;
}

const handlerCallees = new WeakMap<object, Set<string>>();

/** Names of same-file functions that request handlers call (`getDb()` inside `app.get(...)`). */
function functionsCalledByHandlers(node: SgNode, context: RuleContext): Set<string> {
  let names = handlerCallees.get(context);
  if (names) return names;
  names = new Set();
  const root = node.getRoot().root();
  const kinds = ['function_declaration', 'function_expression', 'arrow_function', 'method_definition'];
  for (const fn of root.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })) {
    if (!routeOf(fn, context)) continue;
    for (const call of fn.findAll({ rule: { kind: 'call_expression', has: { field: 'function', kind: 'identifier' } } })) {
      names.add(call.field('function')!.text());
    }
  }
  handlerCallees.set(context, names);
  return names;
}

/** `pool ??= new Pool()`, `if (!pool) pool = ...`, `this.pool = ...`, `globalThis.prisma ||= ...`: built once, then reused. */
function isMemoised(node: SgNode, fn: SgNode): boolean {
  let current = node;
  for (const ancestor of node.ancestors()) {
    if (ancestor.id() === fn.id()) break;
    const kind = ancestor.kind();
    if (kind === 'augmented_assignment_expression' && /^(\?\?=|\|\|=)$/.test(ancestor.children().find((c) => !c.isNamed())?.text() ?? '')) return true;
    if (kind === 'assignment_expression') {
      const left = ancestor.field('left');
      if (left?.kind() === 'member_expression') return true;
      // A variable declared outside this function: a module-level cache.
      if (left?.kind() === 'identifier' && !declaredIn(fn, left.text())) return true;
    }
    if (kind === 'binary_expression' && /\?\?|\|\|/.test(ancestor.children().find((c) => !c.isNamed())?.text() ?? '') && ancestor.field('right')?.id() === current.id()) {
      return true;
    }
    if (kind === 'if_statement' && /^\(\s*!\s*[\w$.]+\s*\)$|===?\s*(null|undefined)/.test(ancestor.field('condition')?.text() ?? '')) return true;
    current = ancestor;
  }
  return false;
}

function declaredIn(fn: SgNode, name: string): boolean {
  return fn.findAll({ rule: { kind: 'variable_declarator', has: { field: 'name', regex: `^${name.replace(/\$/g, '\\$')}$` } } }).length > 0;
}

function nearestFunction(node: SgNode): SgNode | undefined {
  return node.ancestors().find((a) => FUNCTION_KINDS.has(String(a.kind())) || a.kind() === 'method_definition');
}

function isOne(value: SgNode | undefined): boolean {
  return value?.kind() === 'number' && Number(value.text()) === 1;
}

function checkPoolCap(node: SgNode, found: { factory: Factory; name: string }, context: RuleContext): void {
  const cap = found.factory.cap;
  if (!cap) return;
  const config = callArguments(node).find((a) => a.kind() === 'object');
  if (!config) return;
  const holder = cap.nested ? objectProperty(config, cap.nested) : config;
  const pair = holder?.kind() === 'object' ? objectProperty(holder, cap.key) : undefined;
  if (!isOne(pair)) return;
  const start = node.range().start.line;
  for (let line = Math.max(0, start - 3); line <= node.range().end.line; line++) {
    const text = context.lines[line] ?? '';
    const comment = text.indexOf('//');
    if (comment >= 0 && DELIBERATE_SMALL_POOL.test(text.slice(comment))) return;
  }
  if (/(^|\/)(lambda|functions|netlify|api)\//.test(context.file.path) && /export\s+(const|async function)\s+handler\b/.test(context.source)) return;
  const where = pair!.parent() ?? node;
  context.report({
    node: where,
    message: `\`${found.name}(...)\` is capped at one connection (\`${cap.nested ? `${cap.nested}.` : ''}${cap.key}: 1\`): concurrent queries queue behind each other.`,
    severity: 'medium',
  });
}

export function checkTypeScriptNode(node: SgNode, context: RuleContext): void {
  if (/(^|\/)(migrations?|seeds?)\//.test(context.file.path)) return;
  const found = factoryOf(node, context);
  if (!found) return;
  checkPoolCap(node, found, context);
  const fn = nearestFunction(node);
  if (!fn) return;
  let role = routeOf(fn, context);
  if (!role) {
    const name = functionName(fn);
    if (!name || !functionsCalledByHandlers(node, context).has(name)) return;
    role = `\`${name}()\`, which request handlers call`;
  }
  if (isMemoised(node, fn)) return;
  context.report({
    node,
    message: `\`${found.name}(...)\` in ${role} creates ${found.factory.builds} on every request; create it once at module level and reuse it.`,
  });
}
