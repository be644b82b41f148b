// Detects the stack from dependency manifests and from what the code imports. Each entry keeps
// its evidence (the manifest or the first files that import it), so reports can cite it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePackageJson } from '../deps/package-json.js';
import { parsePipfile } from '../deps/pipfile.js';
import { parsePyproject } from '../deps/pyproject.js';
import { parseRequirements } from '../deps/requirements.js';

export type StackCategory =
  | 'web-framework'
  | 'frontend'
  | 'orm'
  | 'database-driver'
  | 'cache'
  | 'task-queue'
  | 'llm-sdk'
  | 'bot-framework'
  | 'web-server'
  | 'http-client'
  | 'resilience'
  | 'observability'
  | 'test-framework';

interface Signature {
  name: string;
  category: StackCategory;
  /** Python import prefixes (dotted). */
  python?: string[];
  /** PyPI distribution names (normalised after PEP 503: lower case, runs of `-_.` → `-`). */
  pypi?: string[];
  /** npm package names (also matched as import specifiers). */
  npm?: string[];
}

const SIGNATURES: Signature[] = [
  { name: 'FastAPI', category: 'web-framework', python: ['fastapi'], pypi: ['fastapi'] },
  { name: 'Starlette', category: 'web-framework', python: ['starlette'], pypi: ['starlette'] },
  { name: 'Flask', category: 'web-framework', python: ['flask'], pypi: ['flask'] },
  { name: 'Django', category: 'web-framework', python: ['django'], pypi: ['django'] },
  { name: 'aiohttp', category: 'web-framework', python: ['aiohttp.web'] },
  { name: 'Express', category: 'web-framework', npm: ['express'] },
  { name: 'Fastify', category: 'web-framework', npm: ['fastify'] },
  { name: 'Koa', category: 'web-framework', npm: ['koa'] },
  { name: 'NestJS', category: 'web-framework', npm: ['@nestjs/core'] },
  { name: 'Next.js', category: 'web-framework', npm: ['next'] },
  { name: 'React', category: 'frontend', npm: ['react'] },
  { name: 'Vue', category: 'frontend', npm: ['vue'] },
  { name: 'SQLAlchemy', category: 'orm', python: ['sqlalchemy'], pypi: ['sqlalchemy'] },
  { name: 'Django ORM', category: 'orm', python: ['django.db'] },
  { name: 'Alembic', category: 'orm', python: ['alembic'], pypi: ['alembic'] },
  { name: 'Tortoise ORM', category: 'orm', python: ['tortoise'], pypi: ['tortoise-orm'] },
  { name: 'Prisma', category: 'orm', npm: ['@prisma/client', 'prisma'] },
  { name: 'TypeORM', category: 'orm', npm: ['typeorm'] },
  { name: 'Sequelize', category: 'orm', npm: ['sequelize'] },
  { name: 'Drizzle', category: 'orm', npm: ['drizzle-orm'] },
  { name: 'Knex', category: 'orm', npm: ['knex'] },
  { name: 'PostgreSQL (psycopg)', category: 'database-driver', python: ['psycopg', 'psycopg2'], pypi: ['psycopg', 'psycopg2', 'psycopg2-binary'] },
  { name: 'PostgreSQL (asyncpg)', category: 'database-driver', python: ['asyncpg'], pypi: ['asyncpg'] },
  { name: 'PostgreSQL (pg)', category: 'database-driver', npm: ['pg', 'postgres'] },
  { name: 'MySQL', category: 'database-driver', python: ['pymysql', 'MySQLdb', 'aiomysql'], npm: ['mysql', 'mysql2'] },
  { name: 'SQLite', category: 'database-driver', python: ['sqlite3', 'aiosqlite'], npm: ['better-sqlite3', 'sqlite3', 'sqlite'] },
  { name: 'MongoDB', category: 'database-driver', python: ['pymongo', 'motor'], npm: ['mongodb', 'mongoose'] },
  { name: 'Redis', category: 'cache', python: ['redis', 'aioredis'], pypi: ['redis', 'aioredis'], npm: ['redis', 'ioredis'] },
  { name: 'Celery', category: 'task-queue', python: ['celery'], pypi: ['celery'] },
  { name: 'RQ', category: 'task-queue', python: ['rq'], pypi: ['rq'] },
  { name: 'BullMQ', category: 'task-queue', npm: ['bullmq', 'bull'] },
  { name: 'Anthropic SDK', category: 'llm-sdk', python: ['anthropic'], pypi: ['anthropic'], npm: ['@anthropic-ai/sdk'] },
  { name: 'OpenAI SDK', category: 'llm-sdk', python: ['openai'], pypi: ['openai'], npm: ['openai'] },
  { name: 'LangChain', category: 'llm-sdk', python: ['langchain'], pypi: ['langchain'], npm: ['langchain', '@langchain/core'] },
  { name: 'Google Generative AI', category: 'llm-sdk', python: ['google.generativeai', 'google.genai'], npm: ['@google/generative-ai', '@google/genai'] },
  { name: 'python-telegram-bot', category: 'bot-framework', python: ['telegram'], pypi: ['python-telegram-bot'] },
  { name: 'aiogram', category: 'bot-framework', python: ['aiogram'], pypi: ['aiogram'] },
  { name: 'Telegraf', category: 'bot-framework', npm: ['telegraf', 'grammy', 'node-telegram-bot-api'] },
  { name: 'discord.py', category: 'bot-framework', python: ['discord'], pypi: ['discord.py', 'discord-py', 'py-cord'] },
  { name: 'discord.js', category: 'bot-framework', npm: ['discord.js'] },
  { name: 'Uvicorn', category: 'web-server', python: ['uvicorn'], pypi: ['uvicorn'] },
  { name: 'Gunicorn', category: 'web-server', python: ['gunicorn'], pypi: ['gunicorn'] },
  { name: 'requests', category: 'http-client', python: ['requests'], pypi: ['requests'] },
  { name: 'httpx', category: 'http-client', python: ['httpx'], pypi: ['httpx'] },
  { name: 'axios', category: 'http-client', npm: ['axios'] },
  { name: 'tenacity', category: 'resilience', python: ['tenacity'], pypi: ['tenacity'] },
  { name: 'backoff', category: 'resilience', python: ['backoff'], pypi: ['backoff'] },
  { name: 'pybreaker', category: 'resilience', python: ['pybreaker'], pypi: ['pybreaker'] },
  { name: 'stamina', category: 'resilience', python: ['stamina'], pypi: ['stamina'] },
  { name: 'opossum', category: 'resilience', npm: ['opossum'] },
  { name: 'cockatiel', category: 'resilience', npm: ['cockatiel'] },
  { name: 'p-retry', category: 'resilience', npm: ['p-retry', 'async-retry', 'axios-retry', 'retry'] },
  { name: 'OpenTelemetry', category: 'observability', python: ['opentelemetry'], pypi: ['opentelemetry-api', 'opentelemetry-sdk', 'opentelemetry-distro'], npm: ['@opentelemetry/api', '@opentelemetry/sdk-node', '@opentelemetry/sdk-metrics', '@opentelemetry/auto-instrumentations-node'] },
  { name: 'Sentry', category: 'observability', python: ['sentry_sdk'], pypi: ['sentry-sdk'], npm: ['@sentry/node', '@sentry/react', '@sentry/nextjs', '@sentry/browser', '@sentry/nestjs', '@sentry/bun', '@sentry/remix', '@sentry/vue', '@sentry/sveltekit'] },
  { name: 'Prometheus client', category: 'observability', python: ['prometheus_client'], pypi: ['prometheus-client'], npm: ['prom-client'] },
  { name: 'structlog', category: 'observability', python: ['structlog'], pypi: ['structlog'] },
  { name: 'pino', category: 'observability', npm: ['pino', 'pino-http', 'nestjs-pino'] },
  { name: 'winston', category: 'observability', npm: ['winston'] },
  { name: 'bunyan', category: 'observability', npm: ['bunyan'] },
  { name: 'python-json-logger', category: 'observability', python: ['pythonjsonlogger', 'json_log_formatter', 'ecs_logging'], pypi: ['python-json-logger', 'json-log-formatter', 'ecs-logging'] },
  { name: 'loguru', category: 'observability', python: ['loguru'], pypi: ['loguru'] },
  {
    name: 'Prometheus instrumentation',
    category: 'observability',
    python: ['prometheus_fastapi_instrumentator', 'starlette_exporter', 'starlette_prometheus', 'django_prometheus', 'prometheus_flask_exporter', 'aioprometheus'],
    pypi: ['prometheus-fastapi-instrumentator', 'starlette-exporter', 'starlette-prometheus', 'django-prometheus', 'prometheus-flask-exporter', 'aioprometheus'],
    npm: ['express-prom-bundle', 'fastify-metrics', '@willsoto/nestjs-prometheus'],
  },
  { name: 'StatsD', category: 'observability', python: ['statsd', 'datadog'], pypi: ['statsd', 'datadog'], npm: ['hot-shots', 'node-statsd', 'statsd-client'] },
  { name: 'Datadog APM', category: 'observability', python: ['ddtrace'], pypi: ['ddtrace'], npm: ['dd-trace'] },
  { name: 'New Relic', category: 'observability', python: ['newrelic'], pypi: ['newrelic'], npm: ['newrelic'] },
  { name: 'Elastic APM', category: 'observability', python: ['elasticapm'], pypi: ['elastic-apm'], npm: ['elastic-apm-node'] },
  { name: 'Rollbar', category: 'observability', python: ['rollbar'], pypi: ['rollbar'], npm: ['rollbar'] },
  { name: 'Bugsnag', category: 'observability', python: ['bugsnag'], pypi: ['bugsnag'], npm: ['@bugsnag/js', '@bugsnag/node'] },
  { name: 'Honeybadger', category: 'observability', python: ['honeybadger'], pypi: ['honeybadger'], npm: ['@honeybadger-io/js'] },
  { name: 'Airbrake', category: 'observability', python: ['pybrake'], pypi: ['pybrake'], npm: ['@airbrake/node'] },
  { name: 'pytest', category: 'test-framework', python: ['pytest'], pypi: ['pytest'] },
  { name: 'Vitest', category: 'test-framework', npm: ['vitest'] },
  { name: 'Jest', category: 'test-framework', npm: ['jest'] },
];

export interface StackEntry {
  name: string;
  category: StackCategory;
  /** Manifests that declare it and files that import it (first few). */
  evidence: string[];
}

export interface ManifestDependencies {
  /** Manifest path → declared package names. */
  pypi: Map<string, Set<string>>;
  npm: Map<string, Set<string>>;
}

const MANIFEST_NAME = /(^|\/)(package\.json|requirements[^/]*\.txt|pyproject\.toml|Pipfile)$/;

export function isManifest(path: string): boolean {
  return MANIFEST_NAME.test(path);
}

/** The declared names of one manifest, through the dependency parsers (src/deps) every rule uses. */
function declaredNames(path: string, text: string): { ecosystem: 'npm' | 'pypi'; names: Set<string> } | undefined {
  const name = path.split('/').pop() ?? path;
  const parsed =
    name === 'package.json'
      ? parsePackageJson(text, path)
      : name === 'pyproject.toml'
        ? parsePyproject(text, path)
        : name === 'Pipfile'
          ? parsePipfile(text, path)
          : parseRequirements(text, path);
  // A malformed manifest says nothing about the stack; the audit reports it as a diagnostic.
  if (parsed.diagnostics.some((d) => d.line === undefined)) return undefined;
  return { ecosystem: name === 'package.json' ? 'npm' : 'pypi', names: new Set(parsed.dependencies.map((d) => d.name)) };
}

/** Reads the manifests among the discovered paths; an unreadable manifest is skipped. */
export function readManifests(root: string, paths: readonly string[]): ManifestDependencies {
  const deps: ManifestDependencies = { pypi: new Map(), npm: new Map() };
  for (const path of paths.filter(isManifest)) {
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch {
      // The file audit reports an unreadable manifest as a diagnostic; it just tells us nothing here.
      continue;
    }
    const declared = declaredNames(path, text);
    if (declared) deps[declared.ecosystem].set(path, declared.names);
  }
  return deps;
}

function importMatches(imported: string, prefix: string): boolean {
  return imported === prefix || imported.startsWith(`${prefix}.`) || imported.startsWith(`${prefix}/`);
}

export function detectStack(
  manifests: ManifestDependencies,
  importsByFile: ReadonlyMap<string, readonly string[]>,
): StackEntry[] {
  const stack: StackEntry[] = [];
  for (const signature of SIGNATURES) {
    const evidence: string[] = [];
    for (const [path, names] of manifests.pypi) {
      if (signature.pypi?.some((name) => names.has(name))) evidence.push(path);
    }
    for (const [path, names] of manifests.npm) {
      if (signature.npm?.some((name) => names.has(name))) evidence.push(path);
    }
    for (const [path, imports] of importsByFile) {
      if (evidence.length >= 6) break;
      const isPython = path.endsWith('.py');
      const prefixes = isPython ? signature.python : signature.npm;
      if (prefixes && imports.some((imported) => prefixes.some((prefix) => importMatches(imported, prefix)))) {
        evidence.push(path);
      }
    }
    if (evidence.length) stack.push({ name: signature.name, category: signature.category, evidence });
  }
  return stack;
}
