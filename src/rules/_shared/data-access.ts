// Recognising database and HTTP calls by their shape (no type information): SQLAlchemy sessions,
// Django managers, asyncpg/psycopg connections, requests/httpx/aiohttp in Python; Prisma, TypeORM,
// Sequelize, Mongoose, pg/mysql clients, knex/drizzle builders, fetch/axios/got in TS/JS.
// Used by the performance rules (query-in-loop, unbounded-query).
import type { SgNode } from '@ast-grep/napi';
import type { RuleContext } from '../../core/rule.js';
import { importAliases, qualifiedName, type ImportAliases } from './python-qualified-names.js';
import { FUNCTION_KINDS } from './typescript.js';

export interface DataCall {
  kind: 'query' | 'http';
  /** The callee as written (`session.scalars`, `prisma.user.findMany`). */
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Python
// ---------------------------------------------------------------------------------------------

/** Receivers that are a database session or connection by naming convention (`db.session`, `self.conn`). */
const PY_SESSION = /^(?:[\w.]*\.)?(session|db_session|dbsession|async_session|db|database|uow)$/i;
const PY_CONNECTION = /^(?:[\w.]*\.)?(conn|connection|con|pool|tx|txn|transaction)$/i;
const PY_CURSOR = /^(?:[\w.]*\.)?(cursor|cur)$/i;
const PY_SESSION_METHODS = new Set(['execute', 'scalar', 'scalars', 'get', 'query', 'refresh', 'exec', 'fetch', 'fetchrow', 'fetchval', 'fetch_one', 'fetch_all', 'fetch_val']);
const PY_CONNECTION_METHODS = new Set(['execute', 'scalar', 'scalars', 'fetch', 'fetchrow', 'fetchval', 'fetch_one', 'fetch_all', 'fetch_val']);
const PY_HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request']);
const PY_HTTP_CLIENTS = new Set(['httpx.Client', 'httpx.AsyncClient', 'aiohttp.ClientSession', 'requests.Session', 'requests.session', 'requests.sessions.Session']);
/** Django manager methods that do not hit the database by themselves, or are the batch fix. */
const DJANGO_NON_QUERY = new Set(['none', 'bulk_create', 'bulk_update', 'in_bulk', 'using', 'db_manager', 'get_for_model', 'get_for_models', 'get_for_id', 'clear_cache']);
// (`ContentType.objects.get_for_model` and friends answer from a process-wide cache.)

interface PyFileFacts {
  aliases: ImportAliases;
  /** `client`, `self.http`: names bound to an HTTP client object in this file. */
  httpClients: Set<string>;
  /** Flask/Quart `session` (a cookie dict) or SQLite-only files: `session.get` / `conn.execute` are no network round trip. */
  flaskSession: boolean;
  sqliteOnly: boolean;
}

const pyFacts = new WeakMap<object, PyFileFacts>();

export function pyFileFacts(node: SgNode, context: RuleContext): PyFileFacts {
  const cached = pyFacts.get(context);
  if (cached) return cached;
  const aliases = importAliases(node, context);
  const httpClients = new Set<string>();
  const root = node.getRoot().root();
  const record = (target: SgNode | null | undefined, value: SgNode | null | undefined) => {
    if (!target || !value) return;
    let call = value;
    if (call.kind() === 'await') call = call.children().find((c) => c.isNamed()) ?? call;
    if (call.kind() !== 'call') return;
    const name = qualifiedName(call.field('function'), aliases);
    if (name && PY_HTTP_CLIENTS.has(name)) httpClients.add(target.text());
  };
  if (/httpx|aiohttp|requests/.test(context.source)) {
    for (const assignment of root.findAll({ rule: { kind: 'assignment' } })) record(assignment.field('left'), assignment.field('right'));
    for (const pattern of root.findAll({ rule: { kind: 'as_pattern', inside: { kind: 'with_item' } } })) {
      const value = pattern.children().find((c) => c.isNamed());
      record(pattern.find({ rule: { kind: 'as_pattern_target' } })?.children().find((c) => c.isNamed()), value);
    }
  }
  const imported = [...aliases.values()];
  const facts: PyFileFacts = {
    aliases,
    httpClients,
    flaskSession: /^(flask|quart)\.session$/.test(aliases.get('session') ?? ''),
    sqliteOnly:
      imported.some((q) => q === 'sqlite3' || q.startsWith('sqlite3.') || q.startsWith('aiosqlite')) &&
      !imported.some((q) => /^(sqlalchemy|sqlmodel|asyncpg|psycopg|psycopg2|pymysql|aiomysql|django|databases)\b/.test(q)),
  };
  pyFacts.set(context, facts);
  return facts;
}

/** A direct database or HTTP call in Python, judged by its callee alone. */
export function pyDataCall(call: SgNode, context: RuleContext): DataCall | undefined {
  const callee = call.field('function');
  if (!callee) return undefined;
  const facts = pyFileFacts(call, context);
  const text = callee.text();
  const qualified = qualifiedName(callee, facts.aliases);
  if (qualified) {
    const [module, method] = [qualified.slice(0, qualified.lastIndexOf('.')), qualified.slice(qualified.lastIndexOf('.') + 1)];
    if ((module === 'requests' || module === 'httpx') && PY_HTTP_METHODS.has(method)) return { kind: 'http', name: text };
    if (qualified === 'urllib.request.urlopen' || qualified === 'aiohttp.request') return { kind: 'http', name: text };
  }
  if (callee.kind() !== 'attribute') return undefined;
  const receiver = callee.field('object');
  const method = callee.field('attribute')?.text() ?? '';
  if (!receiver) return undefined;
  const receiverText = receiver.text();
  if (facts.httpClients.has(receiverText) && (PY_HTTP_METHODS.has(method) || method === 'stream')) return { kind: 'http', name: text };
  // Django: `Order.objects.filter(...)`, `Order.objects.select_related("x").get(...)` (the first call on the manager).
  if (/^[A-Z]\w*(\.[A-Z]\w*)*\.objects$/.test(receiverText) || /^[A-Z]\w*\._default_manager$/.test(receiverText)) {
    return DJANGO_NON_QUERY.has(method) || method.startsWith('bulk_') ? undefined : { kind: 'query', name: text };
  }
  // Flask-SQLAlchemy: `User.query.get(id)`, `User.query.filter_by(...)`.
  if (/^[A-Z]\w*\.query$/.test(receiverText) && /^(get|filter|filter_by|get_or_404|first_or_404|join)$/.test(method)) {
    return { kind: 'query', name: text };
  }
  if (facts.sqliteOnly) return undefined;
  if (/(^|\.)request\.session$/.test(receiverText)) return undefined;
  if (PY_SESSION.test(receiverText) && PY_SESSION_METHODS.has(method)) {
    if (facts.flaskSession && receiverText === 'session') return undefined;
    // `db.get("key")` on a dict-like store: an ORM `get` names the model first.
    if (method === 'get' && !/^[A-Z]/.test(call.field('arguments')?.children().find((c) => c.isNamed())?.text() ?? '')) return undefined;
    return { kind: 'query', name: text };
  }
  if (PY_CONNECTION.test(receiverText) && PY_CONNECTION_METHODS.has(method)) return { kind: 'query', name: text };
  if (PY_CURSOR.test(receiverText) && method === 'execute') return { kind: 'query', name: text };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// TypeScript / JavaScript
// ---------------------------------------------------------------------------------------------

const PRISMA_METHODS =
  'findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|count|aggregate|groupBy|create|createMany|update|updateMany|upsert|delete|deleteMany';
const PRISMA_CALL = new RegExp(`^(?:this\\.)?(?:prisma|db|tx|prismaClient|\\w*Prisma|\\w*prisma)\\.\\w+\\.(${PRISMA_METHODS})$`);
/** ORM finders whose names do not occur on arrays or maps (TypeORM, Sequelize, Mongoose, MikroORM). */
const ORM_FINDERS = new Set([
  'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findBy', 'findByPk', 'findAll', 'findById', 'findByIdAndUpdate',
  'findByIdAndDelete', 'findOneAndUpdate', 'findOneAndDelete', 'findAndCount', 'findAndCountAll', 'countDocuments',
  'insertOne', 'updateOne', 'deleteOne',
]);
/**
 * What an ORM finder is called on: a model class (`User.findAll`), a repository, manager, service,
 * model or collection object. `root.findAll(...)` on a syntax tree or `node.findOne` on a DOM is not a query.
 */
const ORM_RECEIVER = /(^|\.)([A-Z]\w*|\w*(repo|Repo|repository|Repository|manager|Manager|model|Model|collection|Collection|service|Service|dao|Dao|store|Store)|em|db|orm)$/;
const REPOSITORY_RECEIVER = /(^|\.)(\w*(repo|Repo|repository|Repository)|manager|entityManager|em)$/;
const SQL_RECEIVER = /(^|\.)(pool|client|db|conn|connection|pg|database|knex|trx|tx|mysql|sql|sequelize|dataSource|manager|entityManager|queryRunner)$/i;
const SQL_METHODS = new Set(['query', 'execute', 'oneOrNone', 'manyOrNone', 'any', 'none', 'one', 'many']);
const KNEX_ROOT = /^(?:this\.)?(knex|trx|database|db)$/;
const KNEX_METHODS = new Set(['select', 'from', 'insert', 'update', 'del', 'delete', 'first', 'where', 'count', 'table', 'into', 'max', 'min', 'sum', 'increment', 'decrement', 'distinct']);
// (`knex.raw(...)` builds a fragment for another query; it is no round trip by itself.)
const TS_HTTP_ROOTS = /^(axios|got|ky|superagent|needle)$/;
const TS_HTTP_METHODS = /^(get|post|put|patch|delete|head|request)$/;

/** A direct database or HTTP call in TS/JS, judged by its callee alone. */
export function tsDataCall(call: SgNode): DataCall | undefined {
  const callee = tsCallee(call);
  if (!callee) return undefined;
  const text = callee.text().replace(/\s+/g, '');
  if (callee.kind() === 'identifier') {
    if (text === 'fetch' || TS_HTTP_ROOTS.test(text)) return { kind: 'http', name: text };
    // knex('users'), this.knex('users'), trx('users')
    if (KNEX_ROOT.test(text) && firstArgumentIsString(call)) return { kind: 'query', name: text };
    return undefined;
  }
  if (callee.kind() !== 'member_expression') return undefined;
  const receiver = callee.field('object');
  const method = callee.field('property')?.text() ?? '';
  if (!receiver) return undefined;
  const receiverText = receiver.text();
  if (TS_HTTP_ROOTS.test(receiverText) && TS_HTTP_METHODS.test(method)) return { kind: 'http', name: text };
  if (KNEX_ROOT.test(text) && firstArgumentIsString(call)) return { kind: 'query', name: text };
  if (PRISMA_CALL.test(text)) return { kind: 'query', name: text };
  if (ORM_FINDERS.has(method) && ORM_RECEIVER.test(receiverText) && !/^(Array|Object|Map|Set)$/.test(receiverText)) return { kind: 'query', name: text };
  if ((method === 'find' || method === 'count') && (REPOSITORY_RECEIVER.test(receiverText) || /(^|\.)collection\(.*\)$/s.test(receiverText))) {
    return { kind: 'query', name: text };
  }
  if (SQL_METHODS.has(method) && SQL_RECEIVER.test(receiverText) && callArgs(call).length > 0) return { kind: 'query', name: text };
  if (KNEX_ROOT.test(receiverText) && KNEX_METHODS.has(method)) return { kind: 'query', name: text };
  return undefined;
}

/**
 * The callee, looking through the grammar's parse of `await pool.query<Row>(...)` as a call
 * whose function is `await pool.query` (type arguments after `await`).
 */
export function tsCallee(call: SgNode): SgNode | undefined {
  const callee = call.field('function');
  if (callee?.kind() === 'await_expression') return callee.children().find((c) => c.isNamed());
  return callee ?? undefined;
}

function callArgs(call: SgNode): SgNode[] {
  return call.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
}

function firstArgumentIsString(call: SgNode): boolean {
  const first = callArgs(call)[0];
  return first?.kind() === 'string' || first?.kind() === 'template_string';
}

/** The outermost call of a method chain the call starts (`knex('t').where(...).first()`). */
export function chainTop(call: SgNode, family: 'py' | 'ts'): SgNode {
  const member = family === 'py' ? 'attribute' : 'member_expression';
  const callKind = family === 'py' ? 'call' : 'call_expression';
  let top = call;
  for (;;) {
    const parent = top.parent();
    const grand = parent?.parent();
    if (parent?.kind() === member && grand?.kind() === callKind && grand.field('function')?.id() === parent.id()) top = grand;
    else return top;
  }
}

export function isTsFunction(node: SgNode): boolean {
  return FUNCTION_KINDS.has(String(node.kind())) || node.kind() === 'method_definition';
}
