import { defineRule, type RuleContext } from '../../../core/rule.js';
import type { Severity } from '../../../core/types.js';
import { composeFileOf, environmentOf, interpolate, variablesFromDotenv } from '../../_shared/compose.js';
import { composeVariantOf, lineRange } from '../../_shared/compose-services.js';
import { CREDENTIAL_URL, isTrivial, TRIVIAL } from './credentials.js';
import { pythonCredentialVisitors, typescriptCredentialVisitors } from './code.js';

/** Setting names that hold a password (`POSTGRES_PASSWORD`, `RABBITMQ_DEFAULT_PASS`, `MINIO_SECRET_KEY`). */
const PASSWORD_NAME = /^(\w+_)(PASSWORD|PASSWD|PASS|PWD)$|^(PGPASSWORD|MINIO_SECRET_KEY|MINIO_ROOT_PASSWORD|NEO4J_AUTH)$/;
/** Env files that document placeholders rather than hold a deployment's values. */
const TEMPLATE_ENV = /(^|\/)\.env\.(example|sample|template|dist|tmpl|tpl|defaults?\.example)$|(^|\/)[^/]+\.env\.(example|sample|template)$/i;
/** Env and compose files of throwaway test databases. */
const TEST_ENV = /(^|\/)\.env\.(test|testing|ci|e2e)(\.local)?$/i;

interface Setting {
  name: string;
  value: string;
  line: number;
  /** Where a compose value came from when the `.env` supplied it: `DB_PASSWORD in .env:3`. */
  origin?: string;
}

/** The user a password belongs to: `POSTGRES_PASSWORD` → `POSTGRES_USER`, `MINIO_ROOT_PASSWORD` → `MINIO_ROOT_USER`. */
function userFor(name: string, settings: Map<string, string>): string | undefined {
  const prefix = name.replace(/(PASSWORD|PASSWD|PASS|PWD)$/, '');
  if (name === 'PGPASSWORD') return settings.get('PGUSER');
  if (name === 'MINIO_SECRET_KEY') return settings.get('MINIO_ACCESS_KEY');
  for (const suffix of ['USER', 'USERNAME', 'USER_NAME', 'LOGIN']) {
    const user = settings.get(prefix + suffix);
    if (user !== undefined) return user;
  }
  return undefined;
}

function checkSettings(context: RuleContext, entries: Setting[], severity: Severity | undefined): void {
  const values = new Map(entries.map((entry) => [entry.name, entry.value]));
  for (const entry of entries) {
    const value = entry.value;
    if (value === '') continue;
    if (entry.name === 'NEO4J_AUTH') {
      const [user, password] = value.split('/');
      if (password && isTrivial(password, user)) report(context, entry, password, `NEO4J_AUTH sets a default or trivial Neo4j password for "${user}"`, severity);
      continue;
    }
    if (PASSWORD_NAME.test(entry.name)) {
      const user = userFor(entry.name, values);
      if (isTrivial(value, user)) {
        const why = TRIVIAL.has(value.toLowerCase()) ? 'a well-known default or trivial value' : 'the same as its user name';
        report(context, entry, value, `${entry.name} is ${why} ("${value}"): anyone who can reach the service can log in`, severity);
      }
      continue;
    }
    const url = CREDENTIAL_URL.exec(value);
    if (url) {
      const [, scheme, user, rawPassword] = url;
      let password = rawPassword;
      try {
        password = decodeURIComponent(rawPassword);
      } catch {
        // keep the raw text
      }
      if (isTrivial(password, user)) {
        report(context, entry, rawPassword, `${entry.name} connects to ${scheme.split('+')[0]} as "${user || '(default user)'}" with the trivial password "${rawPassword}"`, severity);
      }
    }
  }
}

/**
 * A well-known default ("postgres", "guest", "minioadmin") is public knowledge, not a secret: it is
 * shown, since masking it would also mask every "postgres" in the file's other findings. Any other
 * value (a password equal to its user name) is this deployment's password and is masked.
 */
function report(context: RuleContext, entry: Setting, secret: string, message: string, severity: Severity | undefined): void {
  const secrets = TRIVIAL.has(secret.toLowerCase()) ? [] : [secret];
  const text = entry.origin ? `${message} (set by ${entry.origin})` : message;
  context.report({ range: lineRange(context.lines, entry.line, entry.name), message: text, secrets, ...(severity ? { severity } : {}) });
}

/** `KEY=value`, `export KEY="value"`, `KEY='value' # comment`. */
function parseEnvFile(lines: readonly string[]): Setting[] {
  const settings: Setting[] = [];
  lines.forEach((text, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(text);
    if (!match) return;
    let value = match[2].trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    settings.push({ name: match[1], value: interpolate(value) ?? '', line: index + 1 });
  });
  return settings;
}

export default defineRule({
  meta: {
    id: 'infrastructure/default-credentials',
    title: 'Default or trivial credentials',
    area: 'infrastructure',
    severity: 'high',
    type: 'security',
    effort: 'small',
    confidence: 'high',
    languages: ['compose', 'env', 'py', 'ts'],
    since: '0.1.0',
    description: 'A database, cache, broker or admin password is a default or trivial value (`POSTGRES_PASSWORD: postgres`, `postgres://postgres:postgres@db`, `password="root"` in a client call).',
    why:
      'Default passwords are the first thing tried by anyone who reaches the port, by hand or by the scanners that sweep the ' +
      'internet for 5432, 6379, 15672 and 9000 (seed 001: "`postgres:postgres` default user/pass in docker-compose"). Checked: ' +
      'password settings in compose `environment:` and `.env` files (`*_PASSWORD`, `*_PASS`, `PGPASSWORD`, `MINIO_SECRET_KEY`, ' +
      '`NEO4J_AUTH`) and credentials inside connection URLs (postgres, mysql, mongodb, redis, amqp…), including the default of ' +
      '`${VAR:-postgres}` and `${VAR}` set in the `.env` beside the compose file (the message names the `.env` line). In Python ' +
      'and TypeScript/JavaScript code: connection URLs in string literals (`create_engine("postgresql://postgres:postgres@db/app")`), ' +
      'password arguments of database clients (`psycopg2.connect(user="postgres", password="postgres")`, ' +
      '`mysql.createConnection({ user: \'root\', password: \'root\' })`, `new Pool({ password: \'postgres\' })`), database ' +
      'settings dictionaries (Django `DATABASES`), `create_superuser("admin", …, "admin")` and RabbitMQ `PlainCredentials("guest", ' +
      '"guest")`; medium when the host is localhost, or when the URL is only the fallback of an environment read and points ' +
      'elsewhere. Trivial means an image default or tutorial value (postgres, root, admin, guest, minioadmin, ' +
      'password, changeme, secret, 123456…) or the user name repeated as password. Medium in dev/local compose files and ' +
      '`.env.development`. Not reported: `.env.example`/`.env.sample`/`.env.template`/`.env.dist` (placeholders by design), ' +
      '`.env.test`/`.env.ci` and test compose files (throwaway databases), `${VAR}` without a default, empty values, and ' +
      'non-trivial passwords (a hard-coded strong password is a secret-in-repo problem, not a default one); in code: values read ' +
      'from the environment, a fallback of an environment read or a pydantic-settings default pointing at localhost (a ' +
      'developer\'s machine; deployments set the variable), code under a development-only guard (`if settings.DEBUG:`, ' +
      '`NODE_ENV !== \'production\'`) or in development-only files (`settings/dev.py`, examples, docs), docstrings, ' +
      'comments, URLs inside longer text (help and error messages, documentation snippets), tests and fixtures.',
    recommendation:
      'Generate a strong password per environment and pass it in from the environment or a secret store ' +
      '(`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}`, Docker secrets with `POSTGRES_PASSWORD_FILE`); build connection ' +
      'URLs from the same variable, and keep real `.env` files out of git.',
    examples: [
      {
        language: 'compose',
        bad: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD: postgres\n',
        good: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: shop\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}\n',
      },
      {
        language: 'env',
        bad: 'DATABASE_URL=postgres://postgres:postgres@db:5432/shop\n',
        good: 'DATABASE_URL=postgres://shop:${DB_PASSWORD}@db:5432/shop\n',
      },
      {
        language: 'py',
        bad: 'from sqlalchemy import create_engine\n\nengine = create_engine("postgresql://postgres:postgres@db:5432/shop")\n',
        good: 'import os\n\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ["DATABASE_URL"])\n',
      },
      {
        language: 'ts',
        bad: "import mysql from 'mysql2/promise';\n\nexport const db = await mysql.createConnection({ host: 'db', user: 'root', password: 'root' });\n",
        good: "import mysql from 'mysql2/promise';\n\nexport const db = await mysql.createConnection({ host: 'db', user: 'shop', password: process.env.DB_PASSWORD });\n",
      },
    ],
    references: [
      'seed 001 (`postgres:postgres` default user/pass in docker-compose)',
      'CWE-1392 Use of Default Credentials',
      'Semgrep generic.secrets.security.detected-generic-secret (compose), CIS Docker Benchmark 4.10',
      'Bandit B106/B107 hardcoded_password_funcarg/default (code)',
    ],
    cwe: ['CWE-1392', 'CWE-521'],
  },
  // Password settings (`*_PASSWORD: x`, `password="x"`, `"PASSWORD": "x"`), `user:password@` URLs, admin helpers.
  fileFilter: /PASS\w*['"]?[ \t]*[:=]|PWD|SECRET_KEY|NEO4J_AUTH|:\/\/[^:@/\s'"`]*:[^@/\s'"`]+@|PlainCredentials|create_?superuser/i,
  visitors: { py: pythonCredentialVisitors, ts: typescriptCredentialVisitors },
  onFile(context) {
    if (context.file.family !== 'text') return; // Python and TypeScript are checked by the visitors
    const path = context.file.path;
    if (path.endsWith('.yml') || path.endsWith('.yaml')) {
      const variant = composeVariantOf(path);
      if (variant === 'test') return;
      const severity: Severity | undefined = variant === 'dev' ? 'medium' : undefined;
      const file = composeFileOf(context);
      for (const service of file.services) {
        // `${VAR}` resolves from the `.env` beside the compose file; a variable set nowhere here is unknown.
        const entries = environmentOf(file, service).flatMap((entry): Setting[] => {
          const value = entry.value === undefined ? undefined : interpolate(entry.value, file.variables);
          if (value === undefined || entry.value === undefined) return [];
          const fromDotenv = variablesFromDotenv(entry.value, file.variables);
          const origin = fromDotenv.length && file.variables ? fromDotenv.map((name) => `${name} in ${file.variables?.file}:${file.variables?.lines.get(name)}`).join(', ') : undefined;
          return [{ name: entry.name, value, line: entry.line, ...(origin ? { origin } : {}) }];
        });
        checkSettings(context, entries, severity);
      }
      return;
    }
    if (TEMPLATE_ENV.test(path) || TEST_ENV.test(path)) return;
    const severity: Severity | undefined = /(^|\/)\.env\.(dev|development|local|development\.local)$/i.test(path) ? 'medium' : undefined;
    checkSettings(context, parseEnvFile(context.lines), severity);
  },
});
