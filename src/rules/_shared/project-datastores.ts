// Where a server application keeps its data, as the repository rules see it: the SQLite file its
// own code opens (URL, connect call, Django/Prisma/TypeORM/Sequelize/knex setting) and the
// database services its compose files run. Read from a bounded set of files (settings, config,
// database modules, the files that import a database library), never the whole tree.
import { isTestPath, textRuleLanguageOf } from '../../discover/language.js';
import type { ProjectContext } from '../../core/rule.js';
import { composeVariantOf } from './compose-services.js';
import { parseCompose, valueAt } from '../../parse/compose.js';
import { imageBaseName } from './compose.js';
import { findIn, findInCode, hasStack, sourceFilesOf, sourcesNamed, textOf, type Located } from './server-app.js';

/** Drivers of client/server databases: next to one of them, SQLite is a cache or a dev fallback. */
export const SERVER_DATABASE_DRIVERS = ['PostgreSQL (psycopg)', 'PostgreSQL (asyncpg)', 'PostgreSQL (pg)', 'MySQL', 'MongoDB'];

/** Files that usually hold the database setup. */
const DATABASE_MODULE = /(^|\/)(config|settings|conf|db|database|databases|models?|storage|store|persistence|repository|data-source|datasource|ormconfig|knexfile|sequelize|prisma|main|app|server|index|bot)(\.[\w-]+)?\.(py|[cm]?[jt]s)$|(^|\/)(settings|config|db|database)\/[^/]+\.(py|[cm]?[jt]s)$/;
const MAX_DATABASE_MODULES = 60;

/** SQLite opened as the application's store (in-memory databases are excluded by the caller). */
const SQLITE_USE: RegExp[] = [
  /['"`]sqlite(\+\w+)?:\/\/\/?[^'"`]*['"`]/, // SQLAlchemy / Tortoise / databases URLs
  /\b(aiosqlite|sqlite3)\.connect\s*\(/,
  /\b(SqliteDatabase|SqliteExtDatabase|APSWDatabase)\s*\(\s*['"][^'"]+['"]/, // peewee
  /['"]django\.db\.backends\.sqlite3['"]/,
  /\b(type|dialect|client)\s*:\s*['"](sqlite|sqlite3|better-sqlite3)['"]/, // TypeORM, Sequelize, knex
  /\bnew\s+(sqlite3\.)?Database\s*\(\s*['"`][^'"`]+\.(db|sqlite3?)['"`]/, // better-sqlite3, node-sqlite3
];
/** A Django settings file whose DATABASES come from the environment in production. */
const DJANGO_ENV_DATABASES = /dj_database_url|\benv\.db(_url)?\s*\(|DATABASE_URL|os\.environ(\.get)?\s*[([]\s*['"](DB_|DATABASE|POSTGRES|MYSQL)|getenv\s*\(\s*['"](DB_|DATABASE|POSTGRES|MYSQL)/;

export interface SqliteStore extends Located {
  /** What names the store: the URL, the connect call, the setting. */
  what: string;
}

const sqliteCache = new WeakMap<object, SqliteStore | null>();

/** Candidate files for the database setup, in a stable order, bounded. */
function databaseModules(context: ProjectContext): string[] {
  const paths = sourcesNamed(context, DATABASE_MODULE, MAX_DATABASE_MODULES);
  for (const entry of context.stack) {
    if (entry.name !== 'SQLite' && entry.category !== 'orm') continue;
    for (const path of entry.evidence ?? []) {
      if (!paths.includes(path) && sourceFilesOf(context).some((file) => file.path === path)) paths.push(path);
    }
  }
  return paths.filter((path) => !/(^|\/)(scripts?|bin|tools|cli|examples?|docs?|migrations?|alembic|seeds?|fixtures)\//.test(path));
}

function prismaSqlite(context: ProjectContext): SqliteStore | undefined {
  for (const file of context.files) {
    if (!file.path.endsWith('.prisma') || isTestPath(file.path)) continue;
    const found = findIn(context, file.path, /provider\s*=\s*"sqlite"/);
    if (found) return { ...found, what: 'Prisma `provider = "sqlite"`' };
  }
  return undefined;
}

/**
 * The SQLite database the application's own code opens, or undefined. Not counted: test code,
 * scripts, `:memory:` databases, Django settings that take DATABASES from the environment.
 */
export function sqliteStoreOf(context: ProjectContext): SqliteStore | undefined {
  if (sqliteCache.has(context.files)) return sqliteCache.get(context.files) ?? undefined;
  let store: SqliteStore | undefined = prismaSqlite(context);
  for (const path of store ? [] : databaseModules(context)) {
    const text = textOf(context, path);
    if (!text || !/sqlite/i.test(text)) continue;
    for (const pattern of SQLITE_USE) {
      const found = findInCode(context, path, pattern);
      if (!found) continue;
      const line = text.split('\n')[found.line - 1] ?? '';
      if (/:memory:|mode=memory/.test(line) || /^\s*(#|\/\/|\*)/.test(line)) continue;
      if (found.text.includes('django.db.backends') && DJANGO_ENV_DATABASES.test(text)) continue;
      const call = found.text.replace(/\s*\($/, '(…)');
      store = { ...found, what: `\`${/\([^)]*$/.test(call) ? `${call})` : call}\`` };
      break;
    }
    if (store) break;
  }
  sqliteCache.set(context.files, store ?? null);
  return store;
}

/** Whether the stack also talks to a client/server database (then SQLite is not the primary store). */
export function serverDatabaseDriver(context: ProjectContext): string | undefined {
  return hasStack(context, SERVER_DATABASE_DRIVERS);
}

/** Databases (not caches or brokers): their data is what a backup protects. */
const DATABASE_IMAGE = /^(postgres|postgresql|postgis|pgvector|timescaledb|mysql|mysql-server|mariadb|percona(-server)?|mongo|mongodb|mongodb-community-server|couchdb|neo4j|cassandra|scylla|clickhouse(-server)?|influxdb|cockroach|arangodb|questdb|surrealdb)$/;

export interface ComposeDatabase extends Located {
  service: string;
  image: string;
  /** Whether its data lives on a volume or bind mount (something that survives the container). */
  persistent: boolean;
  /** `dev`/`local` compose files: development databases. */
  development: boolean;
}

/** Database services of the compose files (test and CI compose files left out). */
export function composeDatabasesOf(context: ProjectContext): ComposeDatabase[] {
  const databases: ComposeDatabase[] = [];
  for (const file of context.files) {
    const variant = composeVariantOf(file.path);
    if (textRuleLanguageOf(file.path) !== 'compose' || variant === 'test') continue;
    const text = textOf(context, file.path);
    if (!text) continue;
    for (const service of parseCompose(text).services) {
      const image = valueAt(service, ['image']);
      if (typeof image !== 'string' || !DATABASE_IMAGE.test(imageBaseName(image).toLowerCase())) continue;
      const volumes = valueAt(service, ['volumes']);
      const persistent = Array.isArray(volumes) && volumes.length > 0;
      databases.push({ path: file.path, line: service.line, text: service.name, service: service.name, image, persistent, development: variant === 'dev' });
    }
  }
  return databases;
}
