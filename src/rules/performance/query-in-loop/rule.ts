import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { chainTop, isTsFunction, pyDataCall, pyFileFacts, tsDataCall, type DataCall } from '../../_shared/data-access.js';

type Family = 'py' | 'ts';

interface Loop {
  /** Names the loop binds per item. */
  names: Set<string>;
  iterable: SgNode | null;
  /** How the loop reads in the message: "`order` in `orders`". */
  label: string;
  /** `Promise.all(items.map(...))`: the queries run concurrently but there are still N of them. */
  concurrent: boolean;
}

/** Loop variables named like a slice of ids: the loop is the batching, not the N+1. */
const BATCH_NAME = /chunk|batch|page|slice|group|window|partition/i;
/**
 * Loops over schema objects (tables, columns, constraints, collections, fields, relations) or over
 * statements: per-object DDL and metadata work, not per-row reads.
 */
const SCHEMA_NAME = /table|column|schema|index|constraint|sequence|collection|field|relation|migration|sql|stmt|statement|command|ddl|^fk_/i;
/** A query that fetches a whole set in one go (`IN (...)`, `__in=`, `whereIn`, `{ in: ids }`, TypeORM `In(...)`). */
const SET_QUERY = /\.in_\(|__in\s*=|\bwhereIn\(|\bIN\s*\(|=\s*ANY\s*\(|\bin:\s|\$in\b|\bIn\(/;
/** Schema or session statements per table are setup, not per-row reads. */
const DDL = /^\s*[rbuf]*["'`]\s*(TRUNCATE|DROP|CREATE|ALTER|VACUUM|ANALYZE|GRANT|REVOKE|SET|REFRESH|LOCK|COMMENT)\b/i;

function identifiersIn(node: SgNode | null | undefined, family: Family, into = new Set<string>()): Set<string> {
  if (!node) return into;
  const kind = node.kind();
  if (kind === 'identifier' || kind === 'shorthand_property_identifier_pattern') into.add(node.text());
  else if (family === 'ts' && kind === 'pair_pattern') identifiersIn(node.field('value'), family, into);
  else if (family === 'ts' && (kind === 'type_annotation' || kind === 'predefined_type')) return into;
  else for (const child of node.children()) identifiersIn(child, family, into);
  return into;
}

/** Whether the expression reads one of the names as a variable (not as an attribute or keyword name). */
function readsAny(node: SgNode, names: Set<string>, family: Family): boolean {
  const kinds = family === 'py' ? 'identifier' : 'identifier';
  for (const id of node.findAll({ rule: { kind: kinds } })) {
    if (!names.has(id.text())) continue;
    const parent = id.parent();
    if (family === 'py' && parent?.kind() === 'attribute' && parent.field('attribute')?.id() === id.id()) continue;
    if (family === 'py' && parent?.kind() === 'keyword_argument' && parent.field('name')?.id() === id.id()) continue;
    return true;
  }
  if (family === 'ts') {
    // `{ id }` shorthand in an object argument reads `id`.
    return node.findAll({ rule: { kind: 'shorthand_property_identifier' } }).some((s) => names.has(s.text()));
  }
  return false;
}

/** Loops over a literal list, a constant (`TABLES`), `range(n)` or a string: fixed work, not one round trip per result. */
function isFixedIterable(iterable: SgNode | null, family: Family): boolean {
  if (!iterable) return true;
  let node = iterable;
  if (family === 'ts' && node.kind() === 'call_expression' && /^Object\.(keys|values|entries)$/.test(node.field('function')?.text() ?? '')) {
    node = node.field('arguments')?.children().find((c) => c.isNamed()) ?? node;
  }
  if (family === 'py' && node.kind() === 'call') {
    const fn = node.field('function')?.text() ?? '';
    if (fn === 'range') return true;
    if (/^(enumerate|sorted|reversed|list|tuple|set)$/.test(fn) || /\.(items|keys|values)$/.test(fn)) {
      const inner = fn.includes('.') ? node.field('function')?.field('object') : node.field('arguments')?.children().find((c) => c.isNamed());
      if (inner) return isFixedIterable(inner, family);
    }
    return false;
  }
  const kind = node.kind();
  if (['list', 'tuple', 'set', 'dictionary', 'string', 'array', 'object', 'template_string', 'concatenated_string'].includes(String(kind))) {
    return true;
  }
  const last = node.text().split('.').pop() ?? '';
  return (kind === 'identifier' || kind === 'attribute' || kind === 'member_expression') && /^[A-Z][A-Z0-9_]+$/.test(last);
}

function pyLoopsAround(call: SgNode): Loop[] {
  const loops: Loop[] = [];
  let child = call;
  for (const ancestor of call.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'function_definition' || kind === 'lambda' || kind === 'class_definition') break;
    if (kind === 'for_statement' && ancestor.field('body')?.id() === child.id()) {
      const iterable = ancestor.field('right');
      loops.push({ names: identifiersIn(ancestor.field('left'), 'py'), iterable, label: loopLabel(ancestor.field('left'), iterable), concurrent: false });
    }
    if (/^(list|set|dictionary)_comprehension$|^generator_expression$/.test(String(kind))) {
      const clauses = ancestor.children().filter((c) => c.kind() === 'for_in_clause');
      // The first clause's iterable is evaluated once, outside the per-item work.
      if (clauses.length > 0 && clauses[0].field('right')?.id() !== child.id()) {
        const names = new Set<string>();
        for (const clause of clauses) identifiersIn(clause.field('left'), 'py', names);
        const iterable = clauses[0].field('right');
        loops.push({ names, iterable, label: loopLabel(clauses[0].field('left'), iterable), concurrent: false });
      }
    }
    child = ancestor;
  }
  return loops;
}

function loopLabel(target: SgNode | null, iterable: SgNode | null): string {
  const shorten = (n: SgNode | null) => {
    const text = (n?.text() ?? '?').replace(/\s+/g, ' ');
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  };
  return `\`${shorten(target)}\` in \`${shorten(iterable)}\``;
}

const ARRAY_CALLBACK = /\.(forEach|map|flatMap)$/;

function tsLoopsAround(call: SgNode): Loop[] {
  const loops: Loop[] = [];
  let child = call;
  for (const ancestor of call.ancestors()) {
    const kind = ancestor.kind();
    if (kind === 'class_declaration' || kind === 'class_body') break;
    if (kind === 'for_in_statement' && ancestor.field('body')?.id() === child.id()) {
      const iterable = ancestor.field('right');
      loops.push({ names: identifiersIn(ancestor.field('left'), 'ts'), iterable, label: loopLabel(ancestor.field('left'), iterable), concurrent: false });
    }
    if (isTsFunction(ancestor)) {
      // `items.map(async (item) => ...)`: the callback is the loop body.
      const args = ancestor.parent();
      const invocation = args?.parent();
      const callee = invocation?.kind() === 'call_expression' ? invocation.field('function') : null;
      if (args?.kind() !== 'arguments' || !callee || callee.kind() !== 'member_expression' || !ARRAY_CALLBACK.test(callee.text())) break;
      const parameters = ancestor.field('parameters') ?? ancestor.field('parameter');
      const first = parameters?.kind() === 'identifier' ? parameters : parameters?.children().find((c) => c.isNamed());
      const iterable = callee.field('object');
      loops.push({
        names: identifiersIn(first?.kind() === 'required_parameter' ? first.field('pattern') ?? first : first, 'ts'),
        iterable,
        label: loopLabel(first ?? null, iterable),
        concurrent: /^Promise\.(all|allSettled|any|race)$/.test(invocation?.parent()?.parent()?.field('function')?.text() ?? ''),
      });
      child = invocation!;
      continue;
    }
    child = ancestor;
  }
  return loops;
}

// ---- calls to same-file helpers that query (`await getSuggestions(app.id)`) ------------------

interface FoundCall extends DataCall {
  /** For a same-file helper: the data call it makes. */
  via?: string;
}

const CACHED_DECORATOR = /@(functools\.)?(lru_cache|cache|cached)\b|@\w*cache/i;

/** The names call sites use for a function or method: `load_items` / `self.load_items`, `load` / `this.load`. */
function namesOf(fn: SgNode, family: Family): string[] {
  if (family === 'py') {
    const name = fn.field('name')?.text();
    if (!name) return [];
    const parent = fn.parent();
    // A cached helper queries once, not per call.
    if (parent?.kind() === 'decorated_definition' && parent.children().some((d) => d.kind() === 'decorator' && CACHED_DECORATOR.test(d.text()))) return [];
    return [name, `self.${name}`];
  }
  if (fn.kind() === 'method_definition') {
    const name = fn.field('name')?.text();
    return name ? [`this.${name}`] : [];
  }
  const own = fn.field('name')?.text();
  if (own) return [own];
  const declarator = fn.parent();
  const name = declarator?.kind() === 'variable_declarator' ? declarator.field('name')?.text() : undefined;
  return name ? [name] : [];
}

function enclosingFunctionNames(node: SgNode, family: Family): string[] {
  const fn = node.ancestors().find((a) => (family === 'py' ? a.kind() === 'function_definition' : isTsFunction(a)));
  return fn ? namesOf(fn, family) : [];
}

/** Callee names that can be a data call at all (the full test is `pyDataCall` / `tsDataCall`). */
const PY_CANDIDATE =
  /^(requests|httpx|aiohttp|urllib\.request)\.|(^|\.)urlopen$|(^|\.)(session|db_session|dbsession|async_session|db|database|uow|conn|connection|con|pool|tx|txn|transaction|cursor|cur)\.[a-z_]+$|\.objects\.|_default_manager\.|^[A-Z][A-Za-z0-9_]*\.query\./;
const TS_CANDIDATE =
  /(^|\.)(fetch|axios|got|ky|superagent|needle|knex|trx|db|database|find\w*|count\w*|create\w*|update\w*|upsert|delete\w*|aggregate|groupBy|query|execute|oneOrNone|manyOrNone|any|none|one|many|select|from|insert|del|first|where|table|into|max|min|sum|increment|decrement|distinct|get|post|put|patch|head|request|insertOne|updateOne|deleteOne)$/;

function check(call: SgNode, context: RuleContext, family: Family, data: FoundCall): void {
  const loops = family === 'py' ? pyLoopsAround(call) : tsLoopsAround(call);
  if (loops.length === 0) return;
  const top = chainTop(call, family);
  const topText = top.text();
  if (SET_QUERY.test(topText)) return;
  const firstArg = call.field('arguments')?.children().find((c) => c.isNamed());
  if (firstArg && DDL.test(firstArg.text())) return;
  const loop = loops.find((l) => readsAny(top, l.names, family));
  if (!loop || isFixedIterable(loop.iterable, family)) return;
  if ([...loop.names].some((n) => BATCH_NAME.test(n) || SCHEMA_NAME.test(n))) return;
  // `for sql, params in statements: cursor.execute(sql, params)`: running a list of statements.
  const runsStatement = /(execute|query|exec|fetch\w*)$/.test(data.via ?? data.name);
  if (runsStatement && firstArg && loop.names.has(firstArg.text())) return;
  // `self.execute(self._rename_field_sql(...))`: generated schema statements.
  if (firstArg && (/(_sql|Sql|SQL)\s*\(/.test(firstArg.text().split('(')[0] + '(') || /\bsql_\w+\s*%/.test(firstArg.text()))) return;
  const writes = /(update|delete|remove|insert|create|save|upsert|destroy)\w*$/i.test(data.via ?? data.name);
  const what = data.kind === 'http' ? 'an HTTP request' : writes ? 'a database write' : 'a database query';
  const fix =
    data.kind === 'http'
      ? 'use a batch endpoint or bounded concurrency'
      : writes
        ? family === 'py'
          ? 'write them in one statement (`bulk_create`/`bulk_update`, `executemany`, `update(...).where(M.id.in_(ids))`)'
          : 'write them in one statement (`updateMany`/`createMany`, a multi-row `INSERT`, `whereIn(...).update(...)`)'
        : family === 'py'
        ? 'load them in one query (`IN (...)`, `selectinload`, `select_related`/`prefetch_related`)'
        : 'load them in one query (`WHERE id IN (...)` / `whereIn`, Prisma `include` or `{ in: ids }`)';
  const concurrency = loop.concurrent ? ' (concurrently through `Promise.all`, but still N round trips)' : '';
  context.report({
    node: call,
    message: `\`${data.name}\`${data.via ? ` (which calls \`${data.via}\`)` : ''} sends ${what} for every ${loop.label}${concurrency}: ${data.kind === 'http' ? 'one request per item' : writes ? 'one round trip per item' : 'N+1 round trips'}; ${fix}.`,
  });
}

export default defineRule({
  meta: {
    id: 'performance/query-in-loop',
    title: 'Database query or HTTP call inside a loop (N+1)',
    area: 'performance',
    severity: 'medium',
    type: 'performance',
    effort: 'medium',
    confidence: 'medium',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'A database query or HTTP request made once per item of a loop over results, instead of one batched call (N+1).',
    why:
      'Each query or request is a network round trip. A loop that runs one per result turns a page of 100 orders into 101 round ' +
      'trips, so latency grows with the data and the database sees a burst of tiny queries (seeds 000 and 004 both ask for ' +
      'N+1 checks). Reported: SQLAlchemy session calls, Django managers, asyncpg/psycopg connections, requests/httpx/aiohttp; ' +
      'Prisma, TypeORM, Sequelize, Mongoose, pg/mysql `query`, knex builders, `fetch`/axios/got; and calls to a helper in the ' +
      'same file that makes one of those - when the call uses the loop variable inside `for`/`async for`/comprehensions, ' +
      '`for...of` and `forEach`/`map` callbacks. `Promise.all(items.map(...))` is reported too: concurrent, but still N queries ' +
      'and N connections taken from the pool at once. Not reported: loops over literal lists, constants and `range()` (fixed ' +
      'work, pagination, retries), loops whose variable is a chunk/batch/page (that is the batching), set queries (`in_`, ' +
      '`__in=`, `whereIn`, `{ in: ids }`), DDL per table, SQLite-only code, `while` loops, CLI scripts, migrations and tests. ' +
      'Lazy ORM attribute access (`order.customer` in Django/SQLAlchemy) needs type information and is out of scope.',
    recommendation:
      'Fetch the related rows in one query before the loop and join them in memory: SQLAlchemy `selectinload`/`joinedload` or ' +
      '`where(Item.order_id.in_(ids))`, Django `select_related`/`prefetch_related`/`filter(id__in=ids)`, SQL `WHERE id = ANY($1)`, ' +
      'Prisma `include` or `where: { id: { in: ids } }`, knex `whereIn`; for HTTP use a batch endpoint or bounded concurrency.',
    examples: [
      {
        language: 'py',
        bad:
          'async def dashboard(session):\n    orders = (await session.scalars(select(Order).limit(100))).all()\n    for order in orders:\n' +
          '        order.lines = (await session.scalars(select(OrderItem).where(OrderItem.order_id == order.id))).all()\n    return orders\n',
        good:
          'async def dashboard(session):\n    result = await session.scalars(select(Order).options(selectinload(Order.items)).limit(100))\n' +
          '    return result.all()\n',
      },
      {
        language: 'ts',
        bad:
          'export async function withAuthors(posts: Post[]) {\n  for (const post of posts) {\n' +
          '    post.author = await prisma.user.findUnique({ where: { id: post.authorId } });\n  }\n  return posts;\n}\n',
        good:
          'export async function withAuthors(posts: Post[]) {\n  const ids = posts.map((p) => p.authorId);\n' +
          '  const authors = await prisma.user.findMany({ where: { id: { in: ids } } });\n  return { posts, authors };\n}\n',
      },
    ],
    references: [
      'seed 000 (check for N+1 query problems in the database layer)',
      'seed 004 (N+1 queries)',
      'SQLAlchemy docs: Relationship Loading Techniques (selectinload)',
      'Django docs: Database access optimization (select_related, prefetch_related)',
      'Prisma docs: Query optimization - solving the n+1 problem',
    ],
    appliesTo: { tests: false, scripts: false },
  },
  // A loop, and a name every recognised data call (or the helper wrapping it) contains.
  fileFilter:
    /^(?=[\s\S]*?(\bfor\b|forEach|\.map\(|\.flatMap\())(?=[\s\S]*?(session|\.objects\.|_default_manager|cursor|\bcur\.|\bcon\w*\.|\bdb\.|\bdatabase\.|\bpool\.|\btx\.|\btxn\.|\buow\.|requests|httpx|aiohttp|urlopen|\bfetch\(|axios|\bgot\b|\bky\.|superagent|needle|knex|trx|prisma|[rR]epo|manager|\.find(One|By|All|ById|AndCount)|\.query\b|\.execute\(|\.collection\(|client|Client))/,
  onFile(context) {
    const root = context.root;
    const family = context.file.family;
    if (!root || (family !== 'py' && family !== 'ts')) return;
    const path = context.file.path;
    if (family === 'py' && /(^|\/)(alembic|migrations|versions)\//.test(path)) return;
    if (family === 'ts' && /(^|\/)(migrations?|seeds?)\//.test(path)) return;
    // The parser does the filtering: one search for calls whose callee can be a data call, then
    // one for calls to the same-file functions that contain such a call. Only those are placed in loops.
    const callKind = family === 'py' ? 'call' : 'call_expression';
    // ASCII classes: a Unicode `\w` makes the parser's regex much slower to compile, once per file.
    let candidate = (family === 'py' ? PY_CANDIDATE : TS_CANDIDATE).source.replace(/\\w/g, '[A-Za-z0-9_]');
    if (family === 'py') {
      // Names bound to an HTTP client object in this file (`async with httpx.AsyncClient() as client`).
      const clients = [...pyFileFacts(root, context).httpClients].map((n) => n.replace(/[.$]/g, '\\$&'));
      if (clients.length > 0) candidate += `|^(${clients.join('|')})\\.[a-z_]+$`;
    }
    const helpers = new Map<string, DataCall>();
    for (const call of root.findAll({ rule: { kind: callKind, has: { field: 'function', regex: candidate } } })) {
      const data = family === 'py' ? pyDataCall(call, context) : tsDataCall(call);
      if (!data) continue;
      check(call, context, family, data);
      for (const name of enclosingFunctionNames(call, family)) if (!helpers.has(name)) helpers.set(name, data);
    }
    if (helpers.size === 0) return;
    const names = [...helpers.keys()].map((n) => n.replace(/[.$]/g, '\\$&')).join('|');
    for (const call of root.findAll({ rule: { kind: callKind, has: { field: 'function', regex: `^(${names})$` } } })) {
      const callee = call.field('function')?.text() ?? '';
      const inner = helpers.get(callee);
      // A helper calling itself recursively is not a loop over results.
      if (!inner || enclosingFunctionNames(call, family).includes(callee)) continue;
      check(call, context, family, { kind: inner.kind, name: `${callee}(...)`, via: inner.name });
    }
  },
});
