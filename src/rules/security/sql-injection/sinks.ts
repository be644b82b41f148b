// What is a SQL sink: the calls that execute (or compile into) SQL text, and which argument holds
// that text. Kept apart from "is this text built dynamically" so a taint engine can reuse it.
import type { SgNode } from '@ast-grep/napi';
import type { PyBindings } from '../../_shared/static-values.js';
import { pyQualifiedName, unwrapTsExpression } from '../../_shared/static-values.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { callArguments } from '../../_shared/typescript.js';

export interface SqlSink {
  /** The expression holding SQL text. */
  query: SgNode;
  /** How the finding names the call (`cursor.execute()`). */
  display: string;
  /**
   * Whether the text must look like SQL before it counts: generic method names (`execute`,
   * `query`, `get`) are also used by HTTP clients, task runners and caches.
   */
  needsSqlText: boolean;
  /** Whether the call also binds parameters (`execute(sql, params)`): the author parameterises values. */
  hasParams?: boolean;
}

/** A second positional argument or a `params=`/`parameters=`/`args=` keyword. */
function pyBindsParams(call: SgNode): boolean {
  return positionalArguments(call).length > 1 || ['params', 'parameters', 'args', 'vars'].some((name) => keywordArgument(call, name) !== undefined);
}

/** DB-API, SQLAlchemy, asyncpg/aiosqlite/databases: the first argument is SQL text. */
const PY_EXECUTE_METHODS = new Set(['execute', 'executemany', 'executescript', 'exec_driver_sql', 'fetch', 'fetchrow', 'fetchval', 'fetch_all', 'fetch_one', 'fetch_val', 'mogrify']);
/** Calls whose only job is to wrap SQL text: the text is SQL whatever it looks like. */
const PY_SQL_WRAPPERS = new Set(['sqlalchemy.text', 'sqlalchemy.sql.text', 'sqlalchemy.sql.expression.text', 'django.db.models.expressions.RawSQL', 'django.db.models.RawSQL']);

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

/** The SQL argument of a Python call, when the call executes or wraps SQL text. */
export function pySqlSinks(call: SgNode, bindingsOf: () => PyBindings): SqlSink[] {
  const callee = call.field('function');
  if (!callee) return [];
  // Imports are resolved only for the wrappers, which are plain names (`text`, `sa.text`, `RawSQL`).
  const qualified = /(^|\.)(text|RawSQL)$/.test(callee.text()) ? pyQualifiedName(callee, bindingsOf()) : undefined;
  const first = positionalArguments(call)[0];
  if (qualified && PY_SQL_WRAPPERS.has(qualified)) {
    const query = first ?? keywordArgument(call, 'text') ?? keywordArgument(call, 'sql');
    // `session.execute(text(sql), params)`: the parameters are on the enclosing call.
    const outer = call.parent()?.kind() === 'argument_list' ? call.parent()?.parent() : undefined;
    const hasParams = pyBindsParams(call) || (outer?.kind() === 'call' && pyBindsParams(outer));
    return query ? [{ query, display: `${callee.text()}()`, needsSqlText: false, hasParams }] : [];
  }
  if (callee.kind() !== 'attribute') return [];
  const method = callee.field('attribute')?.text() ?? '';
  const display = `${short(callee.text())}()`;
  if (PY_EXECUTE_METHODS.has(method)) {
    const query = first ?? keywordArgument(call, 'sql') ?? keywordArgument(call, 'query') ?? keywordArgument(call, 'statement') ?? keywordArgument(call, 'operation');
    return query ? [{ query, display, needsSqlText: true, hasParams: pyBindsParams(call) }] : [];
  }
  // Django `Model.objects.raw(sql, params)`.
  if (method === 'raw') {
    const query = first ?? keywordArgument(call, 'raw_query');
    return query ? [{ query, display, needsSqlText: true, hasParams: pyBindsParams(call) }] : [];
  }
  // Django `.extra(where=[...], select={...})`: every string is a SQL fragment.
  if (method === 'extra') {
    const sinks: SqlSink[] = [];
    for (const name of ['where', 'select', 'tables', 'order_by']) {
      const value = keywordArgument(call, name);
      if (!value) continue;
      const items = value.kind() === 'list' || value.kind() === 'tuple' ? value.children().filter((c) => c.isNamed())
        : value.kind() === 'dictionary' ? value.children().filter((c) => c.kind() === 'pair').map((p) => p.field('value')).filter((v): v is SgNode => !!v)
          : [];
      const hasParams = keywordArgument(call, 'params') !== undefined || keywordArgument(call, 'select_params') !== undefined;
      for (const item of items) sinks.push({ query: item, display: `${display} ${name}=`, needsSqlText: false, hasParams });
    }
    return sinks;
  }
  if (callee.text() === 'RawSQL' || method === 'RawSQL') return first ? [{ query: first, display: 'RawSQL()', needsSqlText: false, hasParams: pyBindsParams(call) }] : [];
  return [];
}

/** Knex/Prisma/Sequelize/TypeORM methods whose argument is SQL by definition. */
const TS_RAW_METHODS = new Set([
  'raw', 'whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'joinRaw', 'orderByRaw', 'groupByRaw', 'fromRaw', 'selectRaw',
  '$queryRawUnsafe', '$executeRawUnsafe', 'unsafe',
]);
/** Driver methods (pg, mysql2, better-sqlite3, sqlite, sequelize, TypeORM): SQL when the text looks like SQL. */
const TS_QUERY_METHODS = new Set(['query', 'execute', 'prepare', 'run', 'all', 'get', 'exec', 'each', 'queryAsync']);
/** TypeORM query-builder conditions: `.where(\`user.id = ${id}\`)`. */
const TS_BUILDER_CONDITIONS = new Set(['where', 'andWhere', 'orWhere', 'having', 'andHaving', 'orHaving', 'orderBy', 'addOrderBy', 'groupBy', 'innerJoin', 'leftJoin', 'select', 'addSelect']);

/** The SQL argument of a TS/JS call, when the call executes SQL text. */
export function tsSqlSinks(call: SgNode): SqlSink[] {
  const callee = call.field('function');
  const argsNode = call.field('arguments');
  // A tagged template (`sql\`...\``, `prisma.$queryRaw\`...\``) sends its values as parameters.
  if (!callee || !argsNode || argsNode.kind() === 'template_string') return [];
  const args = callArguments(call);
  const [first] = args;
  if (!first) return [];
  const hasParams = args.length > 1;
  if (callee.kind() !== 'member_expression') return [];
  const method = callee.field('property')?.text() ?? '';
  const receiver = callee.field('object');
  // In a chain (`knex.select().from('t').whereRaw(...)`) name the method only.
  const display = receiver && /[()]/.test(receiver.text()) ? `.${method}()` : `${short(callee.text())}()`;
  if (TS_RAW_METHODS.has(method)) {
    // `sql.raw()` (drizzle/kysely) and `Prisma.raw()` are raw too; `String.raw` is not a call of this shape.
    if (method === 'raw' && receiver?.text() === 'String') return [];
    // `postgres` `sql.unsafe()`; other `.unsafe()` methods need SQL text.
    return [{ query: first, display, needsSqlText: method === 'unsafe' || method === 'raw', hasParams }];
  }
  if (TS_QUERY_METHODS.has(method)) {
    // `map.get(key)`, `task.run(options)`: generic names take SQL only as visible text or a SQL-named variable.
    const kind = unwrapTsExpression(first).kind();
    if (kind !== 'template_string' && kind !== 'binary_expression' && kind !== 'string' && !(kind === 'identifier' && /sql|query|stmt|statement/i.test(first.text()))) return [];
    // HTTP clients share the names; their argument also fails the SQL-text test in practice.
    if (receiver && /^(axios|got|superagent|http|https|fetch|fs|path)$/.test(receiver.text())) return [];
    return [{ query: first, display, needsSqlText: true, hasParams }];
  }
  if (TS_BUILDER_CONDITIONS.has(method) && receiver && /createQueryBuilder\s*\(/.test(receiver.text())) {
    return [{ query: first, display, needsSqlText: false, hasParams }];
  }
  return [];
}

/** Text that reads as SQL: a statement keyword first, or the clause pairs every query has. */
const SQL_STATEMENT = /^\s*\(?\s*(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|DELETE|CREATE|DROP|ALTER|TRUNCATE|WITH|REPLACE\s+INTO|MERGE|GRANT|REVOKE|PRAGMA|EXPLAIN|VACUUM|ANALYZE|SHOW|DESCRIBE|CALL|EXEC|COPY|REFRESH|LOCK|SET|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|DECLARE|COMMENT\s+ON|REINDEX|CLUSTER|ATTACH|DETACH)\b/i;
const SQL_CLAUSES = /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\b[\s\S]*\bSET\b|\bDELETE\s+FROM\b|\bWHERE\b[\s\S]*(=|\bLIKE\b|\bIN\b|<|>)/i;

export function looksLikeSql(template: string): boolean {
  const text = template.replace(/\u0000/g, ' x ');
  return SQL_STATEMENT.test(text) || SQL_CLAUSES.test(text);
}
