import type { SgNode } from '@ast-grep/napi';
import { defineRule, type RuleContext } from '../../../core/rule.js';
import { keywordArgument, positionalArguments } from '../../_shared/python.js';
import { importAliases, qualifiedName } from '../../_shared/python-qualified-names.js';
import { checkTypeScriptNode } from './typescript.js';

/** SQLAlchemy engine factories, matched by their last name part (`sa.create_engine`, `sqlmodel.create_engine`). */
const ENGINE_FACTORIES = new Set(['create_engine', 'create_async_engine', 'engine_from_config', 'async_engine_from_config']);

/**
 * Calls that open a database connection, client or pool. SQLite is left out on purpose: opening a
 * file is cheap and Flask's own tutorial opens one connection per request.
 */
const CONNECTION_FACTORIES = new Set([
  'psycopg2.connect',
  'psycopg.connect',
  'psycopg.Connection.connect',
  'psycopg.AsyncConnection.connect',
  'psycopg_pool.ConnectionPool',
  'psycopg_pool.AsyncConnectionPool',
  'asyncpg.connect',
  'asyncpg.create_pool',
  'aiopg.connect',
  'aiopg.create_pool',
  'pymysql.connect',
  'MySQLdb.connect',
  'mysql.connector.connect',
  'aiomysql.connect',
  'aiomysql.create_pool',
  'pymongo.MongoClient',
  'motor.motor_asyncio.AsyncIOMotorClient',
  'redis.Redis',
  'redis.StrictRedis',
  'redis.from_url',
  'redis.Redis.from_url',
  'redis.StrictRedis.from_url',
  'redis.asyncio.Redis',
  'redis.asyncio.from_url',
  'redis.asyncio.Redis.from_url',
]);

/** What a per-request call builds, for the message. */
function builtThing(tail: string, name: string | undefined): string {
  if (ENGINE_FACTORIES.has(tail)) return 'a new engine and connection pool';
  if (name && /Pool$|create_pool$/.test(name)) return 'a new connection pool';
  if (name && /^(redis|pymongo|motor)\./.test(name)) return 'a new client with its own connection pool';
  return 'a new database connection';
}

/** Pool constructors and the argument that caps their size. */
const POOL_CAPS: Record<string, { keyword: string; position?: number }> = {
  'asyncpg.create_pool': { keyword: 'max_size' },
  'aiopg.create_pool': { keyword: 'maxsize' },
  'aiomysql.create_pool': { keyword: 'maxsize' },
  'psycopg_pool.ConnectionPool': { keyword: 'max_size' },
  'psycopg_pool.AsyncConnectionPool': { keyword: 'max_size' },
  'psycopg2.pool.SimpleConnectionPool': { keyword: 'maxconn', position: 1 },
  'psycopg2.pool.ThreadedConnectionPool': { keyword: 'maxconn', position: 1 },
};

/**
 * NullPool is the documented setup behind an external pooler (PgBouncer, RDS Proxy), in serverless
 * functions and in forked workers; a comment saying so marks it deliberate.
 */
const DELIBERATE_NULLPOOL = /pg_?bouncer|supavisor|pgpool|rds[ -]?proxy|serverless|lambda|cloud ?functions?|vercel|netlify|transaction[- ]pool|external pool|celery|fork/i;

/** Migrations run once and exit: NullPool is what Alembic's own env.py template uses. */
function isMigrationFile(file: RuleContext): boolean {
  const path = file.file.path;
  return /(^|\/)(alembic|migrations|versions)\//.test(path) || (/(^|\/)env\.py$/.test(path) && /\balembic\b/.test(file.source));
}

const ROUTE_METHODS = /\.(get|post|put|patch|delete|head|options)$/;
const ANY_ARGUMENT_ROUTES = /\.(route|api_route|websocket)$/;
/** Chat-bot handlers run once per message; `.command` only counts in bot code (Click and Typer use it for CLIs). */
const BOT_HANDLERS = /\.(command|hybrid_command|slash_command|message_handler|callback_query_handler|message|callback_query)$/;
const BOT_FRAMEWORK_IMPORT = /^\s*(from|import)\s+(discord|nextcord|disnake|telegram|aiogram|telebot|pyrogram|slack_bolt|interactions)\b/m;

/** `@app.get("/users")`, `@router.post("")`, `@bp.route(...)`, `@bot.command()`: runs once per request or command. */
function handlerKindOf(decorator: SgNode, context: RuleContext): 'request' | 'command' | undefined {
  const call = decorator.children().find((c) => c.isNamed());
  if (call?.kind() !== 'call') return undefined;
  const callee = call.field('function')?.text() ?? '';
  if (ANY_ARGUMENT_ROUTES.test(callee)) return 'request';
  if (BOT_HANDLERS.test(callee)) return BOT_FRAMEWORK_IMPORT.test(context.source) ? 'command' : undefined;
  if (!ROUTE_METHODS.test(callee)) return undefined;
  const path = positionalArguments(call)[0];
  return path?.kind() === 'string' && /^[rbuf]*["'](\/|["'])/i.test(path.text()) ? 'request' : undefined;
}

const dependencyCache = new WeakMap<RuleContext, Set<string>>();

/** Functions this file hands to FastAPI's `Depends(...)`: FastAPI calls them on every request. */
function requestDependencies(node: SgNode, context: RuleContext): Set<string> {
  let names = dependencyCache.get(context);
  if (names) return names;
  names = new Set();
  const root = node.getRoot().root();
  for (const call of root.findAll({ rule: { kind: 'call', has: { field: 'function', regex: '(^|\\.)Depends$' } } })) {
    const target = positionalArguments(call)[0];
    if (target?.kind() === 'identifier') names.add(target.text());
  }
  dependencyCache.set(context, names);
  return names;
}

interface Handler {
  name: string;
  /** "request handler", "command handler", "per-request dependency". */
  role: string;
  /** What triggers one run: "request" or "command". */
  unit: string;
}

/** The request/command handler or per-request dependency the node runs in, if any (nearest function only). */
function enclosingHandler(node: SgNode, context: RuleContext): Handler | undefined {
  const fn = node.ancestors().find((a) => a.kind() === 'function_definition' || a.kind() === 'lambda');
  if (fn?.kind() !== 'function_definition') return undefined;
  const name = fn.field('name')?.text() ?? '';
  const parent = fn.parent();
  const decorators = parent?.kind() === 'decorated_definition' ? parent.children().filter((d) => d.kind() === 'decorator') : [];
  for (const decorator of decorators) {
    const unit = handlerKindOf(decorator, context);
    if (unit) return { name, role: `${unit} handler`, unit };
  }
  // `@lru_cache def get_engine()`: the dependency runs once and its result is reused.
  const cached = decorators.some((d) => /(^|\.)(lru_cache|cache)\b/.test(d.text().slice(1)));
  if (!cached && requestDependencies(node, context).has(name)) return { name, role: 'per-request dependency', unit: 'request' };
  return undefined;
}

function calleeTail(call: SgNode): string {
  const text = call.field('function')?.text() ?? '';
  return text.slice(text.lastIndexOf('.') + 1);
}

function isNullPool(value: SgNode | null | undefined): boolean {
  return !!value && (value.kind() === 'identifier' || value.kind() === 'attribute') && /(^|\.)NullPool$/.test(value.text());
}

function isIntegerOne(value: SgNode | null | undefined): boolean {
  return value?.kind() === 'integer' && Number(value.text()) === 1;
}

/** `create_engine("sqlite:///bot.db", ...)`: pooling a local file buys nothing. */
function isSqliteUrl(call: SgNode): boolean {
  const url = positionalArguments(call)[0] ?? keywordArgument(call, 'url');
  return !!url && url.kind() === 'string' && /^[rbuf]*["']sqlite/i.test(url.text());
}

/** A comment on the call or in the three lines above it explaining the NullPool, or a pooler in the URL. */
function isDeliberateNullPool(call: SgNode, context: RuleContext): boolean {
  const start = call.range().start.line;
  const end = call.range().end.line;
  for (let line = Math.max(0, start - 3); line <= end; line++) {
    const text = context.lines[line] ?? '';
    const hash = text.indexOf('#');
    if (hash >= 0 && DELIBERATE_NULLPOOL.test(text.slice(hash))) return true;
  }
  const url = positionalArguments(call)[0];
  if (url && /pgbouncer|:6432\b/i.test(url.text())) return true;
  // AWS Lambda / Cloud Functions entry points: every invocation may be a fresh process.
  return /^def\s+\w*handler\s*\(\s*event\s*,\s*context\b/m.test(context.source);
}

function shortCall(call: SgNode): string {
  return `${call.field('function')?.text() ?? 'call'}(...)`;
}

function checkEngineCall(call: SgNode, context: RuleContext): void {
  if (isSqliteUrl(call)) return;
  const poolclass = keywordArgument(call, 'poolclass');
  if (isNullPool(poolclass) && !isDeliberateNullPool(call, context)) {
    context.report({
      node: poolclass!.parent() ?? call,
      message: `\`${shortCall(call)}\` uses \`poolclass=NullPool\`: every session opens and closes a new database connection instead of reusing a pool.`,
    });
  }
  const poolSize = keywordArgument(call, 'pool_size');
  if (isIntegerOne(poolSize)) {
    context.report({
      node: poolSize!.parent() ?? call,
      message: `\`${shortCall(call)}\` keeps \`pool_size=1\`: one pooled connection, so concurrent requests wait or open throwaway overflow connections.`,
      severity: 'medium',
    });
  }
}

function checkPoolCap(call: SgNode, name: string, context: RuleContext): void {
  const cap = POOL_CAPS[name];
  if (!cap) return;
  let value = keywordArgument(call, cap.keyword);
  if (!value && cap.position !== undefined) value = positionalArguments(call)[cap.position];
  // psycopg_pool: max_size defaults to min_size, so `min_size=1` alone caps the pool at one.
  let shown = `${cap.keyword}=1`;
  if (!value && name.startsWith('psycopg_pool.') && isIntegerOne(keywordArgument(call, 'min_size'))) {
    value = keywordArgument(call, 'min_size');
    shown = 'min_size=1 and no max_size';
  }
  if (!isIntegerOne(value)) return;
  context.report({
    node: value!.parent()?.kind() === 'keyword_argument' ? value!.parent()! : value!,
    message: `\`${shortCall(call)}\` is capped at one connection (\`${shown}\`): concurrent queries queue behind each other.`,
    severity: 'medium',
  });
}

export default defineRule({
  meta: {
    id: 'performance/connection-pool-disabled',
    title: 'Database connection pooling disabled',
    area: 'performance',
    severity: 'high',
    type: 'performance',
    effort: 'small',
    confidence: 'high',
    languages: ['py', 'ts'],
    since: '0.1.0',
    description: 'An application database engine without a usable pool: NullPool, a pool of one, or a new connection per request.',
    why:
      'Opening a PostgreSQL connection costs a TCP and TLS handshake, authentication and a server process. Seed 001\'s trading bot ' +
      'ran its application engine with `NullPool`, so every query opened a fresh connection and 100 bots exhausted ' +
      '`max_connections`. The same happens when a route handler, a chat-bot command or a FastAPI `Depends` function calls `create_engine`, ' +
      '`psycopg2.connect` or `asyncpg.create_pool` on every request, and a pool capped at one connection (`pool_size=1`, ' +
      '`max_size=1`) serialises every query (those two are Medium). `pool_size=0` is not reported: in SQLAlchemy it means ' +
      '"no size limit", not "no pool". Not reported either: NullPool in Alembic `env.py` and migration folders (Alembic\'s own ' +
      'template), functions that are not per-request (startup code, `@lru_cache` factories, Click/Typer commands), NullPool next to a ' +
      'comment naming PgBouncer, RDS Proxy, serverless, Lambda or forked/Celery workers (the ' +
      'documented setups for it), SQLite URLs, CLI scripts and tests. SQLite connections per request are cheap and not reported. ' +
      'In TS/JS: `new Pool()`/`new Client()` (pg), `mysql.createConnection`/`createPool`, `new PrismaClient()`, `new Redis()`/' +
      '`createClient()`, `knex({...})`, `new Sequelize()`, `new MongoClient()` inside an Express/Fastify/Koa route callback, a ' +
      'Next.js route export, or a same-file function those handlers call; and pools capped at one (`max: 1`, ' +
      '`connectionLimit: 1`, `pool: { max: 1 }`, Medium). Not reported: module-level singletons, memoised factories ' +
      '(`pool ??= new Pool()`, `if (!pool) pool = ...`, `this.pool = ...`, `globalThis.prisma ||= ...`), `max: 1` next to a ' +
      'serverless/Lambda/PgBouncer comment or in a Lambda handler file, migrations, seeds, scripts and tests.',
    recommendation:
      'Create one engine or pool per process at module level or in the app\'s startup, with SQLAlchemy\'s default ' +
      '`QueuePool`/`AsyncAdaptedQueuePool` sized for the workload (e.g. `pool_size=20, max_overflow=40`, `pool_pre_ping=True`), ' +
      'and borrow connections from it in handlers. If an external pooler really is in front, say so in a comment next to NullPool. ' +
      'In Node create the `Pool`/`PrismaClient`/knex instance once per process at module level and import it where needed.',
    examples: [
      {
        language: 'py',
        bad:
          'from sqlalchemy.ext.asyncio import create_async_engine\nfrom sqlalchemy.pool import NullPool\n\n' +
          'engine = create_async_engine(settings.DATABASE_URL, echo=False, poolclass=NullPool)\n',
        good:
          'from sqlalchemy.ext.asyncio import create_async_engine\n\n' +
          'engine = create_async_engine(settings.DATABASE_URL, pool_size=20, max_overflow=40, pool_pre_ping=True)\n',
      },
      {
        language: 'ts',
        bad:
          "import express from 'express';\nimport { Pool } from 'pg';\n\nconst app = express();\n\napp.get('/users/:id', async (req, res) => {\n" +
          '  const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n' +
          "  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);\n  res.json(rows[0]);\n});\n",
        good:
          "import express from 'express';\nimport { Pool } from 'pg';\n\nconst app = express();\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });\n\n" +
          "app.get('/users/:id', async (req, res) => {\n  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);\n  res.json(rows[0]);\n});\n",
      },
    ],
    references: [
      'seed 001 (NullPool creates a new connection per query; core/database.py)',
      'SQLAlchemy docs: Connection Pooling (pool_size=0 means no limit; NullPool disables pooling)',
      'Alembic env.py template (NullPool for migrations)',
      'node-postgres docs: Pooling ("create a pool once, at app start"); Prisma docs: instantiate PrismaClient once',
    ],
    appliesTo: { tests: false, scripts: false },
  },
  // Every engine, pool and client it knows comes from one of these names (resolved through imports).
  fileFilter: /NullPool|pool_size|create_(async_)?engine|engine_from_config|psycopg|asyncpg|aiopg|pymysql|MySQLdb|mysql|aiomysql|pymongo|motor|redis|['"](pg|pg-pool|knex|sequelize|mongodb|postgres|ioredis|@prisma\/client)['"]/,
  visitors: {
    py: {
      call(node, context) {
        if (isMigrationFile(context)) return;
        const tail = calleeTail(node);
        const aliases = importAliases(node, context);
        const name = qualifiedName(node.field('function'), aliases);
        if (ENGINE_FACTORIES.has(tail)) checkEngineCall(node, context);
        if (name) checkPoolCap(node, name, context);
        const opensConnection = ENGINE_FACTORIES.has(tail) || (name !== undefined && CONNECTION_FACTORIES.has(name));
        if (!opensConnection) return;
        // A Redis client built on a shared pool borrows from it: no new connection per request.
        if (keywordArgument(node, 'connection_pool')) return;
        if (ENGINE_FACTORIES.has(tail) && isSqliteUrl(node)) return;
        const handler = enclosingHandler(node, context);
        if (!handler) return;
        const what = builtThing(tail, name);
        context.report({
          node,
          message: `\`${shortCall(node)}\` in ${handler.role} \`${handler.name}\` creates ${what} on every ${handler.unit}; create it once at startup and reuse it.`,
        });
      },
      pair(node, context) {
        // Engine options kept in a dict: `SQLALCHEMY_ENGINE_OPTIONS = {"poolclass": NullPool}`.
        if (isMigrationFile(context)) return;
        const key = node.field('key');
        if (key?.kind() !== 'string' || !/^[rbuf]*["']poolclass["']$/i.test(key.text())) return;
        if (!isNullPool(node.field('value'))) return;
        const statement = node.ancestors().find((a) => a.kind() === 'expression_statement') ?? node;
        if (isDeliberateNullPool(statement, context)) return;
        context.report({
          node,
          message: 'Engine options set `"poolclass": NullPool`: every session opens and closes a new database connection instead of reusing a pool.',
        });
      },
    },
    ts: {
      new_expression(node, context) {
        checkTypeScriptNode(node, context);
      },
      call_expression(node, context) {
        checkTypeScriptNode(node, context);
      },
    },
  },
});
